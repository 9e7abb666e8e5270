using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Approvals;

/// <summary>Rule 8: one owner per customer; others work on it only through an approved cooperation.</summary>
public sealed class CooperationTests
{
    private sealed record Cast(HarborApp App, Person Owner, Person Partner, Person Manager, Person PartnersManager, Person Director, Guid Customer);

    private static async Task<Cast> CastAsync(Engine engine)
    {
        var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var otherGroup = await app.CreateGroupAsync();
        var owner = (await app.SalespeopleAsync(1, group))[0];
        var partner = (await app.SalespeopleAsync(1, otherGroup))[0];
        var manager = (await app.SeedPeopleAsync(Role.Manager, 1, group))[0];
        var partnersManager = (await app.SeedPeopleAsync(Role.Manager, 1, otherGroup))[0];
        var director = (await app.SeedPeopleAsync(Role.Director, 1, null))[0];
        var customer = await owner.Client.RegisterOkAsync(app.UniqueName("合作公司"), "135" + Random.Shared.Next(10_000_000, 99_999_999));
        return new Cast(app, owner, partner, manager, partnersManager, director, customer);
    }

    private static async Task<Guid> ProposeAsync(Cast c, int share = 30) =>
        (await (await c.Owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = c.Partner.Id, sharePercent = share }))
            .AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Propose_OwnersGroupManagerApproves_PartnerWorksOnItAndTheRegisterShowsIt(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        await (await c.Partner.Client.GetAsync($"/api/customers/{c.Customer}")).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");

        var id = await ProposeAsync(c);
        var proposedTo = await (await c.Manager.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(proposedTo.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "cooperation-proposed");
        await (await c.PartnersManager.Client.PostAsync($"/api/cooperations/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var approved = await (await c.Manager.Client.PostAsJsonAsync($"/api/cooperations/{id}/approve", new { comment = "同意合作" })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("approved", approved.GetProperty("status").GetString());
        await (await c.Partner.Client.GetAsync($"/api/customers/{c.Customer}")).AssertStatusAsync(HttpStatusCode.OK);
        var register = await (await c.Manager.Client.GetAsync("/api/cooperations")).AssertStatusAsync(HttpStatusCode.OK);
        var row = Assert.Single(register.GetProperty("items").EnumerateArray());
        Assert.Equal(30, row.GetProperty("sharePercent").GetInt32());
        Assert.Equal("同意合作", row.GetProperty("comment").GetString());
        Assert.Equal(c.Manager.Id, row.GetProperty("decider").GetProperty("id").GetGuid());
        Assert.Single((await (await c.Director.Client.GetAsync("/api/cooperations")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await c.PartnersManager.Client.GetAsync("/api/cooperations")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Single((await (await c.Partner.Client.GetAsync("/api/cooperations")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var told = await (await c.Partner.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "cooperation-decided");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task End_ByTheOwner_PartnerLosesAccess(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = await ProposeAsync(c);
        (await c.Manager.Client.PostAsync($"/api/cooperations/{id}/approve", null)).EnsureSuccessStatusCode();

        await (await c.Partner.Client.PostAsync($"/api/cooperations/{id}/end", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var ended = await (await c.Owner.Client.PostAsync($"/api/cooperations/{id}/end", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("ended", ended.GetProperty("status").GetString());
        await (await c.Partner.Client.GetAsync($"/api/customers/{c.Customer}")).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Release_TheCustomer_EndsItsCooperations(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = await ProposeAsync(c);
        (await c.Manager.Client.PostAsync($"/api/cooperations/{id}/approve", null)).EnsureSuccessStatusCode();

        (await c.Owner.Client.PostAsync($"/api/customers/{c.Customer}/release", null)).EnsureSuccessStatusCode();

        var register = await (await c.Director.Client.GetAsync("/api/cooperations")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("ended", Assert.Single(register.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task Propose_ShareOutOfRange_ValidationFailed(int share)
    {
        var c = await CastAsync(Engine.Sqlite);
        await using var _ = c.App;

        var response = await c.Owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = c.Partner.Id, sharePercent = share });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Propose_SharesAboveNinetyNineInAll_ValidationFailed()
    {
        var c = await CastAsync(Engine.Sqlite);
        await using var _ = c.App;
        await ProposeAsync(c, 60);
        var second = (await c.App.SalespeopleAsync(1, c.Partner.GroupId!.Value))[0];

        var response = await c.Owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = second.Id, sharePercent = 40 });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Propose_SamePartnerTwiceOrNotTheOwner_Refused()
    {
        var c = await CastAsync(Engine.Sqlite);
        await using var _ = c.App;
        await ProposeAsync(c);

        await (await c.Owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = c.Partner.Id, sharePercent = 10 }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
        await (await c.Partner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = c.Owner.Id, sharePercent = 10 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
        await (await c.Owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = c.Owner.Id, sharePercent = 10 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Decide_TwoDecidersAtOnce_OneWins(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = await ProposeAsync(c);
        var directors = await c.App.SeedPeopleAsync(Role.Director, 5, null);

        var start = new TaskCompletionSource();
        var calls = directors.Select(d => d.Client).Append(c.Manager.Client).Select((client, i) => Task.Run(async () =>
        {
            await start.Task;
            return await client.PostAsync($"/api/cooperations/{id}/{(i % 2 == 0 ? "approve" : "reject")}", null);
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(calls);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            await loser.AssertProblemAsync(HttpStatusCode.Conflict, "already-decided");
    }
}
