using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Who reads a customer's record and a salesperson's list (the foundation's part of access control).</summary>
public sealed class ReadAccessTests(SharedApps apps)
{
    private sealed record World(HarborApp App, Person Owner, Person Colleague, Person Stranger, Person Manager, Person OtherManager,
        Person Director, Person Clerk, HttpClient Admin, Guid CustomerId, string Phone);

    private readonly string Phone = "133" + Random.Shared.Next(10_000_000, 99_999_999);

    private async Task<World> WorldAsync(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var otherGroup = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group);
        var id = await (await owner.Client.RegisterAsync(app.UniqueName("隐私公司"), Phone, contactName: "赵经理"))
            .AssertStatusAsync(HttpStatusCode.Created);
        return new World(app, owner,
            await app.CreatePersonAsync("salesperson", group),
            await app.CreatePersonAsync("salesperson", otherGroup),
            await app.CreatePersonAsync("manager", group),
            await app.CreatePersonAsync("manager", otherGroup),
            await app.CreatePersonAsync("director", null),
            await app.CreatePersonAsync("clerk", null),
            await app.AdminAsync(),
            id.GetProperty("customerId").GetGuid(), Phone);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ReadCustomer_OwnerClerkDirectorGroupManager_SeeContacts(Engine engine)
    {
        var w = await WorldAsync(engine);
        foreach (var client in new[] { w.Owner.Client, w.Clerk.Client, w.Director.Client, w.Manager.Client })
        {
            var body = await (await client.GetAsync($"/api/customers/{w.CustomerId}")).AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal(w.Phone, body.GetProperty("phone").GetString());
            Assert.Equal("赵经理", body.GetProperty("contactName").GetString());
            Assert.Equal(w.Owner.Id, body.GetProperty("owner").GetProperty("id").GetGuid());
        }
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ReadCustomer_ColleagueStrangerOtherManagerAdmin_RefusedWithoutLeak(Engine engine)
    {
        var w = await WorldAsync(engine);
        foreach (var client in new[] { w.Colleague.Client, w.Stranger.Client, w.OtherManager.Client, w.Admin })
        {
            var response = await client.GetAsync($"/api/customers/{w.CustomerId}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {text}");
            Assert.DoesNotContain(w.Phone, text);
            Assert.DoesNotContain("赵经理", text);
            Assert.DoesNotContain("隐私公司", text);
        }
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SalespersonSheet_SelfClerkDirectorGroupManager_AllowedOthersForbidden(Engine engine)
    {
        var w = await WorldAsync(engine);
        var url = $"/api/salespeople/{w.Owner.Id}/customers";
        foreach (var client in new[] { w.Owner.Client, w.Clerk.Client, w.Director.Client, w.Manager.Client })
        {
            var body = await (await client.GetAsync(url)).AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal(1, body.GetProperty("slotsUsed").GetInt32());
            Assert.Equal(15, body.GetProperty("slotsTotal").GetInt32());
            var row = Assert.Single(body.GetProperty("customers").EnumerateArray());
            Assert.Equal("2026-12-01", row.GetProperty("startsOn").GetString());
            Assert.Equal("2026-12-16", row.GetProperty("dueOn").GetString());
            Assert.Equal("protected", row.GetProperty("status").GetString());
        }

        foreach (var client in new[] { w.Colleague.Client, w.Stranger.Client, w.OtherManager.Client, w.Admin })
            await (await client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await w.Clerk.Client.GetAsync($"/api/salespeople/{Guid.NewGuid()}/customers")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task MyCustomers_NotASalesperson_Forbidden()
    {
        var w = await WorldAsync(Engine.Sqlite);

        await (await w.Clerk.Client.GetAsync("/api/me/customers")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
