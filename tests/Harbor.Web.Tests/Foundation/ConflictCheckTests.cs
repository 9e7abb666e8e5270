using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>The conflict check: matches with status and holder, never contacts.</summary>
public sealed class ConflictCheckTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_NameVariant_FindsHolderStatusDueDateAndNoContacts(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync("华北" + app.UniqueName("组")), "王五");
        var other = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var brand = app.UniqueName("海岳");
        var id = await owner.Client.RegisterOkAsync($"深圳市{brand}电子有限公司", "13612345678");

        var body = await (await other.Client.PostAsJsonAsync("/api/customers/check", new { name = $"{brand}电子（深圳）有限公司" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        var match = Assert.Single(body.GetProperty("matches").EnumerateArray());
        Assert.Equal(id, match.GetProperty("customerId").GetGuid());
        Assert.Equal("protected", match.GetProperty("status").GetString());
        Assert.Equal("name", match.GetProperty("match").GetString());
        Assert.Equal("王五", match.GetProperty("holder").GetProperty("displayName").GetString());
        Assert.Equal("2026-12-16", match.GetProperty("dueOn").GetString());
        Assert.DoesNotContain("13612345678", body.GetRawText());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_ByPhoneAndCreditCode_MatchNamesTheKey(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var code = CreditCodes.Next();
        var phone = "137" + Random.Shared.Next(10_000_000, 99_999_999);
        (await owner.Client.RegisterAsync(app.UniqueName("键公司"), phone, code)).EnsureSuccessStatusCode();
        var admin = await app.AdminAsync();

        var byPhone = await (await admin.PostAsJsonAsync("/api/customers/check", new { phone = "+86" + phone })).AssertStatusAsync(HttpStatusCode.OK);
        var byCode = await (await admin.PostAsJsonAsync("/api/customers/check", new { creditCode = code.ToLowerInvariant() })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("phone", Assert.Single(byPhone.GetProperty("matches").EnumerateArray()).GetProperty("match").GetString());
        Assert.Equal("credit-code", Assert.Single(byCode.GetProperty("matches").EnumerateArray()).GetProperty("match").GetString());
    }

    [Fact]
    public async Task Check_NothingToCheck_ValidationFailed()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var someone = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());

        await (await someone.Client.PostAsJsonAsync("/api/customers/check", new { name = " " })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Check_Anonymous_Unauthorized()
    {
        var app = await apps.GetAsync(Engine.Sqlite);

        var response = await app.CreateClient().PostAsJsonAsync("/api/customers/check", new { name = "星辰" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
