using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Rule 3 through the API: register, conflict, quota, give one up in the same step.</summary>
public sealed class RegistrationTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_NoConflict_ProtectedFromTodayDueInFifteenDays(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var sales = await app.CreatePersonAsync("salesperson", group);

        var response = await sales.Client.RegisterAsync(app.UniqueName("星辰科技") + "有限公司", "13800138000");

        var body = await response.AssertStatusAsync(HttpStatusCode.Created);
        var protection = body.GetProperty("protection");
        Assert.Equal(sales.Id, protection.GetProperty("salespersonId").GetGuid());
        Assert.Equal("2026-12-01", protection.GetProperty("startsOn").GetString());
        Assert.Equal("2026-12-16", protection.GetProperty("dueOn").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_NameVariantHeldByOtherGroup_RefusedWithHolderAndNoContacts(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var east = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync("华东" + app.UniqueName("组")), "张三");
        var south = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync("华南" + app.UniqueName("组")), "李四");
        var brand = app.UniqueName("星辰");
        await east.Client.RegisterAsync($"北京{brand}科技有限公司", "13912345678", contactName: "王经理");

        var response = await south.Client.RegisterAsync($"{brand}科技（北京）有限公司");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
        Assert.Equal("张三", problem.GetProperty("holder").GetProperty("displayName").GetString());
        Assert.StartsWith("华东", problem.GetProperty("holder").GetProperty("group").GetString());
        Assert.Equal("2026-12-16", problem.GetProperty("dueOn").GetString());
        var text = problem.GetRawText();
        Assert.DoesNotContain("13912345678", text);
        Assert.DoesNotContain("王经理", text);
        Assert.DoesNotContain("某路", text);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_SamePhoneInAnotherFormat_Refused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var a = await app.CreatePersonAsync("salesperson", group);
        var b = await app.CreatePersonAsync("salesperson", group);
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
        await a.Client.RegisterOkAsync(app.UniqueName("甲公司"), phone);

        var response = await b.Client.RegisterAsync(app.UniqueName("乙公司"), $"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_SameCreditCodeLowerCase_Refused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var a = await app.CreatePersonAsync("salesperson", group);
        var b = await app.CreatePersonAsync("salesperson", group);
        var code = CreditCodes.Next();
        (await a.Client.RegisterAsync(app.UniqueName("丙公司"), creditCode: code)).EnsureSuccessStatusCode();

        var response = await b.Client.RegisterAsync(app.UniqueName("丁公司"), creditCode: code.ToLowerInvariant());

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_CreditCodeFailsCheck_AcceptedWithWarning(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var code = CreditCodes.Next();
        var wrongCheck = code[..17] + (code[17] == '0' ? '1' : '0');

        var body = await (await sales.Client.RegisterAsync(app.UniqueName("戊公司"), creditCode: wrongCheck)).AssertStatusAsync(HttpStatusCode.Created);

        Assert.Contains("credit-code-check-failed", body.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_AllSlotsInUse_QuotaFullAndNothingChanges(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        for (var i = 0; i < 15; i++)
            await sales.Client.RegisterOkAsync(app.UniqueName("满额公司"));

        var name = app.UniqueName("第十六家");
        var response = await sales.Client.RegisterAsync(name);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "quota-full");
        Assert.Equal(15, problem.GetProperty("slotLimit").GetInt32());
        var check = await (await sales.Client.PostAsJsonAsync("/api/customers/check", new { name })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(check.GetProperty("matches").EnumerateArray());
        var sheet = await sales.Client.GetFromJsonAsync<SheetBody>("/api/me/customers");
        Assert.Equal(15, sheet!.SlotsUsed);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_AllSlotsInUseGivingOneUp_ReleaseAndRegistrationTogether(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var first = await sales.Client.RegisterOkAsync(app.UniqueName("旧客户"));
        for (var i = 1; i < 15; i++)
            await sales.Client.RegisterOkAsync(app.UniqueName("满额公司"));

        var response = await sales.Client.RegisterAsync(app.UniqueName("新客户"), releaseCustomerId: first);

        await response.AssertStatusAsync(HttpStatusCode.Created);
        var sheet = await sales.Client.GetFromJsonAsync<SheetBody>("/api/me/customers");
        Assert.Equal(15, sheet!.SlotsUsed);
        Assert.DoesNotContain(sheet.Customers, c => c.CustomerId == first);
        using var clerk = (await app.CreatePersonAsync("clerk", null)).Client;
        var old = await clerk.GetFromJsonAsync<CustomerBody>($"/api/customers/{first}");
        Assert.Equal("pending-publication", old!.Status);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_GivingUpSomeoneElsesCustomer_RefusedAndNothingChanges(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var sales = await app.CreatePersonAsync("salesperson", group);
        var colleague = await app.CreatePersonAsync("salesperson", group);
        var theirs = await colleague.Client.RegisterOkAsync(app.UniqueName("同事客户"));
        var name = app.UniqueName("新客户");

        var response = await sales.Client.RegisterAsync(name, releaseCustomerId: theirs);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
        var still = await colleague.Client.GetFromJsonAsync<CustomerBody>($"/api/customers/{theirs}");
        Assert.Equal("protected", still!.Status);
        var check = await (await sales.Client.PostAsJsonAsync("/api/customers/check", new { name })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(check.GetProperty("matches").EnumerateArray());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_ClerkOnBehalf_EnteredUnderTheSalesperson(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var clerk = await app.CreatePersonAsync("clerk", null);

        var missing = await clerk.Client.RegisterAsync(app.UniqueName("代报客户"));
        await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var body = await (await clerk.Client.RegisterAsync(app.UniqueName("代报客户"), salespersonId: sales.Id)).AssertStatusAsync(HttpStatusCode.Created);

        Assert.Equal(sales.Id, body.GetProperty("protection").GetProperty("salespersonId").GetGuid());
        var sheet = await sales.Client.GetFromJsonAsync<SheetBody>("/api/me/customers");
        Assert.Contains(sheet!.Customers, c => c.CustomerId == body.GetProperty("customerId").GetGuid());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_ForAColleague_Forbidden(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var sales = await app.CreatePersonAsync("salesperson", group);
        var colleague = await app.CreatePersonAsync("salesperson", group);

        var response = await sales.Client.RegisterAsync(app.UniqueName("替人报备"), salespersonId: colleague.Id);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("director")]
    [InlineData("admin")]
    public async Task Register_RoleThatDoesNotRegister_Forbidden(string role)
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var group = await app.CreateGroupAsync();
        var sales = await app.CreatePersonAsync("salesperson", group);
        var client = role == "admin" ? await app.AdminAsync() : (await app.CreatePersonAsync(role, group)).Client;

        var response = await client.RegisterAsync(app.UniqueName("越权"), salespersonId: sales.Id);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_InvalidFields_ValidationFailedWithFieldErrors(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());

        var response = await sales.Client.PostAsJsonAsync("/api/registrations", new
        {
            customer = new { name = "  ", phone = "abc", creditCode = "123" },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("customer.name", out _));
        Assert.True(errors.TryGetProperty("customer.phone", out _));
        Assert.True(errors.TryGetProperty("customer.creditCode", out _));
    }

    internal sealed record SheetBody(int SlotsUsed, int SlotsTotal, List<SheetRow> Customers);

    internal sealed record SheetRow(Guid CustomerId, string Name, string Status, string? StartsOn, string? DueOn);

    internal sealed record CustomerBody(Guid Id, string Name, string Status, string? Phone);
}
