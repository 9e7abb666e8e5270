using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Sales;

/// <summary>The customer's history holds everything its page shows: extensions (rule 6) and cooperations (rule 8) too.</summary>
public sealed class HistoryTimelineTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task History_ExtensionsAndCooperations_ListedWithTheirDecisions(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = (await app.SalespeopleAsync(1, group))[0];
        var partner = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        var manager = (await app.SeedPeopleAsync(Role.Manager, 1, group))[0];
        var customer = await owner.Client.RegisterOkAsync(app.UniqueName("历史公司"));

        await (await owner.Client.PostAsJsonAsync("/api/extensions", new { customerId = customer, days = 3, reason = "客户出差" }))
            .AssertStatusAsync(HttpStatusCode.Created);
        var cooperation = (await (await owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = customer, partnerId = partner.Id, sharePercent = 30 }))
            .AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await manager.Client.PostAsJsonAsync($"/api/cooperations/{cooperation}/approve", new { comment = "同意" })).EnsureSuccessStatusCode();

        var history = await (await owner.Client.GetAsync($"/api/customers/{customer}/history")).AssertStatusAsync(HttpStatusCode.OK);

        var extension = Assert.Single(history.GetProperty("extensions").EnumerateArray());
        Assert.Equal(3, extension.GetProperty("days").GetInt32());
        Assert.Equal("pending", extension.GetProperty("status").GetString());
        Assert.Equal("客户出差", extension.GetProperty("reason").GetString());
        Assert.Equal(owner.Id, extension.GetProperty("salesperson").GetProperty("id").GetGuid());
        var registered = Assert.Single(history.GetProperty("cooperations").EnumerateArray());
        Assert.Equal("approved", registered.GetProperty("status").GetString());
        Assert.Equal(30, registered.GetProperty("sharePercent").GetInt32());
        Assert.Equal(partner.Id, registered.GetProperty("partner").GetProperty("id").GetGuid());
        Assert.Equal(manager.Id, registered.GetProperty("decider").GetProperty("id").GetGuid());

        // The approved partner reads the same history; nobody else outside the group does.
        await (await partner.Client.GetAsync($"/api/customers/{customer}/history")).AssertStatusAsync(HttpStatusCode.OK);
    }
}
