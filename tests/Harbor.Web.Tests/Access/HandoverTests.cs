using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Access;

/// <summary>A leaver is stopped at once and their customers are handed over by the clerk.</summary>
public sealed class HandoverTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Deactivate_Leaver_TokensStopAtOnceAndCustomersOnHandoverList(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var leaver = await app.CreatePersonAsync("salesperson", group);
        var a = await leaver.Client.RegisterOkAsync(app.UniqueName("交接甲"));
        var b = await leaver.Client.RegisterOkAsync(app.UniqueName("交接乙"));
        using var admin = await app.AdminAsync();

        var body = await (await admin.PostAsync($"/api/users/{leaver.Id}/deactivate", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(2, body.GetProperty("customersToHandOver").GetInt32());
        await (await leaver.Client.GetAsync("/api/me/customers")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var signIn = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = leaver.Username, password = HarborApp.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        var clerk = await app.CreatePersonAsync("clerk", null);
        var list = await (await clerk.Client.GetAsync("/api/handover")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { a, b }.Order(), list.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()).Order());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Handover_ReassignAndRelease_EachCustomerLeavesTheList(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var leaver = await app.CreatePersonAsync("salesperson", group);
        var heir = await app.CreatePersonAsync("salesperson", group);
        var a = await leaver.Client.RegisterOkAsync(app.UniqueName("交接甲"));
        var b = await leaver.Client.RegisterOkAsync(app.UniqueName("交接乙"));
        using var admin = await app.AdminAsync();
        (await admin.PostAsync($"/api/users/{leaver.Id}/deactivate", null)).EnsureSuccessStatusCode();
        var clerk = await app.CreatePersonAsync("clerk", null);

        var moved = await (await clerk.Client.PostAsJsonAsync($"/api/handover/{a}/reassign", new { salespersonId = heir.Id })).AssertStatusAsync(HttpStatusCode.OK);
        var released = await (await clerk.Client.PostAsync($"/api/handover/{b}/release", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("2026-12-16", moved.GetProperty("dueOn").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)), released.GetProperty("publishAt").GetDateTimeOffset());
        var sheet = await (await heir.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(a, Assert.Single(sheet.GetProperty("customers").EnumerateArray()).GetProperty("customerId").GetGuid());
        var list = await (await clerk.Client.GetAsync("/api/handover")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("customers").EnumerateArray());
        var history = await (await heir.Client.GetAsync($"/api/customers/{a}/history")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["registered", "handed-over", "reassigned"], history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Handover_ActiveOwnersCustomer_Forbidden(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group);
        var other = await app.CreatePersonAsync("salesperson", group);
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("在职"));
        var clerk = await app.CreatePersonAsync("clerk", null);

        await (await clerk.Client.PostAsJsonAsync($"/api/handover/{id}/reassign", new { salespersonId = other.Id })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Deactivate_NotAdmin_Forbidden()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);
        var target = await app.CreatePersonAsync("clerk", null);

        await (await clerk.Client.PostAsync($"/api/users/{target.Id}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
