using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Sales;

/// <summary>Rules 7 and 9: follow-ups through the stages, orders credited only from the master sheet.</summary>
public sealed class SalesTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private sealed record Cast(HarborApp App, Person Owner, Person Partner, Person Stranger, Person Manager, Person Clerk, Guid Customer);

    private static async Task<Cast> CastAsync(Engine engine)
    {
        var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var other = await app.CreateGroupAsync();
        var owner = (await app.SalespeopleAsync(1, group))[0];
        var partner = (await app.SalespeopleAsync(1, other))[0];
        var stranger = (await app.SalespeopleAsync(1, other))[0];
        var manager = (await app.SeedPeopleAsync(Role.Manager, 1, group))[0];
        var clerk = (await app.SeedPeopleAsync(Role.Clerk, 1, null))[0];
        var customer = await owner.Client.RegisterOkAsync(app.UniqueName("销售公司"));
        return new Cast(app, owner, partner, stranger, manager, clerk, customer);
    }

    private static async Task CooperateAsync(Cast c, int share)
    {
        var id = (await (await c.Owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = c.Customer, partnerId = c.Partner.Id, sharePercent = share }))
            .AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await c.Manager.Client.PostAsync($"/api/cooperations/{id}/approve", null)).EnsureSuccessStatusCode();
    }

    private static Task<HttpResponseMessage> FollowAsync(HttpClient client, Guid customer, string stage, DateTimeOffset? at = null) =>
        client.PostAsJsonAsync($"/api/customers/{customer}/followups", new { stage, note = "电话沟通需求", at });

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task FollowUp_StagesSkippedAndRevisited_StageIsTheLatest(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        await (await FollowAsync(c.Owner.Client, c.Customer, "phone-call")).AssertStatusAsync(HttpStatusCode.Created);
        c.App.Clock.Advance(TimeSpan.FromHours(2));
        await (await FollowAsync(c.Owner.Client, c.Customer, "second-meeting")).AssertStatusAsync(HttpStatusCode.Created);
        // Logged late for an earlier moment: recorded, but the stage stays where the latest contact left it.
        var late = await (await FollowAsync(c.Owner.Client, c.Customer, "first-meeting", HarborApp.Start.AddMinutes(30))).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("second-meeting", late.GetProperty("customerStage").GetString());
        c.App.Clock.Advance(TimeSpan.FromHours(1));
        await (await FollowAsync(c.Owner.Client, c.Customer, "phone-follow-up")).AssertStatusAsync(HttpStatusCode.Created);

        var sheet = await (await c.Owner.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("phone-follow-up", Assert.Single(sheet.GetProperty("customers").EnumerateArray()).GetProperty("stage").GetString());
        var history = await (await c.Owner.Client.GetAsync($"/api/customers/{c.Customer}/history")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["phone-call", "first-meeting", "second-meeting", "phone-follow-up"],
            history.GetProperty("followUps").EnumerateArray().Select(f => f.GetProperty("stage").GetString()));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task FollowUp_StrangerOrUnknownStage_RefusedWithoutLeak(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        var refused = await FollowAsync(c.Stranger.Client, c.Customer, "phone-call");
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
        Assert.DoesNotContain("销售公司", await refused.Content.ReadAsStringAsync());
        await (await FollowAsync(c.Owner.Client, c.Customer, "lunch")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await FollowAsync(c.Owner.Client, c.Customer, "phone-call", HarborApp.Start.AddDays(1))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await FollowAsync(c.Manager.Client, c.Customer, "phone-call")).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task FollowUp_ApprovedCooperator_Allowed(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        await (await FollowAsync(c.Partner.Client, c.Customer, "phone-call")).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");

        await CooperateAsync(c, 30);

        await (await FollowAsync(c.Partner.Client, c.Customer, "first-meeting")).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Order_ByTheOwner_CreditedAndSignsTheCustomer(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        var order = await (await c.Owner.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 12800.50m })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.True(order.GetProperty("credited").GetBoolean());
        var credit = Assert.Single(order.GetProperty("credits").EnumerateArray());
        Assert.Equal(c.Owner.Id, credit.GetProperty("salespersonId").GetGuid());
        Assert.Equal(12800.50m, credit.GetProperty("amount").GetDecimal());
        var sheet = await (await c.Owner.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(0, sheet.GetProperty("slotsUsed").GetInt32());
        var row = Assert.Single(sheet.GetProperty("customers").EnumerateArray());
        Assert.Equal("signed", row.GetProperty("status").GetString());
        Assert.Equal("signed", row.GetProperty("stage").GetString());
        // Signed: out of the protection clock for good, and still taken for everyone else.
        c.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 10, 0, 0, Shanghai));
        Assert.Equal(0, (await c.App.SweepAsync()).Released);
        var check = await (await c.Stranger.Client.PostAsJsonAsync("/api/customers/check", new { name = row.GetProperty("name").GetString() })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("signed", Assert.Single(check.GetProperty("matches").EnumerateArray()).GetProperty("status").GetString());
        // A repeat order of a signed customer earns credit too.
        var repeat = await (await c.Owner.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 100m })).AssertStatusAsync(HttpStatusCode.Created);
        Assert.True(repeat.GetProperty("credited").GetBoolean());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Order_NotInTheSalespersonsSheet_RecordedWithoutCreditAndTheReason(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        var order = await (await c.Stranger.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 5000m })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.False(order.GetProperty("credited").GetBoolean());
        Assert.Equal("not-in-sheet", order.GetProperty("reason").GetString());
        Assert.Empty(order.GetProperty("credits").EnumerateArray());
        var record = await (await c.Owner.Client.GetAsync($"/api/customers/{c.Customer}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("protected", record.GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Order_WithApprovedCooperation_SplitByShareOwnerKeepsTheRest(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        await CooperateAsync(c, 30);

        var order = await (await c.Partner.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 1000.01m })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.True(order.GetProperty("credited").GetBoolean());
        var credits = order.GetProperty("credits").EnumerateArray().ToDictionary(x => x.GetProperty("salespersonId").GetGuid(), x => x.GetProperty("amount").GetDecimal());
        Assert.Equal(300.00m, credits[c.Partner.Id]);
        Assert.Equal(700.01m, credits[c.Owner.Id]);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Order_AfterTheCustomerWasReleased_DecisionKeptFromSubmission(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var second = await c.Owner.Client.RegisterOkAsync(c.App.UniqueName("后放弃"));
        var before = await (await c.Owner.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 300m })).AssertStatusAsync(HttpStatusCode.Created);
        (await c.Owner.Client.PostAsync($"/api/customers/{second}/release", null)).EnsureSuccessStatusCode();

        var after = await (await c.Owner.Client.PostAsJsonAsync("/api/orders", new { customerId = second, amount = 300m })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.True(before.GetProperty("credited").GetBoolean());
        Assert.False(after.GetProperty("credited").GetBoolean());
        var performance = await (await c.Clerk.Client.GetAsync("/api/reports/performance?from=2026-12-01&to=2026-12-31")).AssertStatusAsync(HttpStatusCode.OK);
        var row = performance.GetProperty("salespeople").EnumerateArray().Single(r => r.GetProperty("salespersonId").GetGuid() == c.Owner.Id);
        Assert.Equal(300m, row.GetProperty("creditedAmount").GetDecimal());
        Assert.Equal(1, row.GetProperty("orders").GetInt32());
        Assert.Equal("not-in-sheet", Assert.Single(row.GetProperty("uncreditedOrders").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal("2026-12", Assert.Single(row.GetProperty("byMonth").EnumerateArray()).GetProperty("month").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1.234)]
    public async Task Order_BadAmount_ValidationFailed(decimal amount)
    {
        var c = await CastAsync(Engine.Sqlite);
        await using var _ = c.App;

        await (await c.Owner.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Order_ByTheClerkOnBehalf_CreditedToTheSalesperson(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        var order = await (await c.Clerk.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 800m, salespersonId = c.Owner.Id }))
            .AssertStatusAsync(HttpStatusCode.Created);

        Assert.True(order.GetProperty("credited").GetBoolean());
        await (await c.Manager.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 800m, salespersonId = c.Owner.Id }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Funnel_CustomersReachingEachStageWithConversion(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var customers = new List<Guid> { c.Customer };
        for (var i = 0; i < 3; i++)
            customers.Add(await c.Owner.Client.RegisterOkAsync(c.App.UniqueName("漏斗")));
        // 4 called, 2 met (one skipped the call), 1 reached the closing meeting.
        foreach (var id in customers.Take(3))
            (await FollowAsync(c.Owner.Client, id, "phone-call")).EnsureSuccessStatusCode();
        (await FollowAsync(c.Owner.Client, customers[3], "first-meeting")).EnsureSuccessStatusCode();
        (await FollowAsync(c.Owner.Client, customers[0], "first-meeting")).EnsureSuccessStatusCode();
        (await FollowAsync(c.Owner.Client, customers[0], "closing-meeting")).EnsureSuccessStatusCode();

        var funnel = await (await c.Manager.Client.GetAsync("/api/reports/funnel?from=2026-12-01&to=2026-12-31")).AssertStatusAsync(HttpStatusCode.OK);

        var stages = funnel.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s);
        Assert.Equal(7, stages.Count);
        Assert.Equal(4, stages["phone-call"].GetProperty("customers").GetInt32());
        Assert.Equal(2, stages["first-meeting"].GetProperty("customers").GetInt32());
        Assert.Equal(0.5, stages["first-meeting"].GetProperty("conversion").GetDouble());
        Assert.Equal(1, stages["closing-meeting"].GetProperty("customers").GetInt32());
        Assert.Equal(0, stages["signed"].GetProperty("customers").GetInt32());
        var otherManager = (await c.App.SeedPeopleAsync(Role.Manager, 1, c.Partner.GroupId))[0];
        var theirs = await (await otherManager.Client.GetAsync("/api/reports/funnel?from=2026-12-01&to=2026-12-31")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(0, theirs.GetProperty("stages")[0].GetProperty("customers").GetInt32());
        await (await otherManager.Client.GetAsync($"/api/reports/funnel?groupId={c.Owner.GroupId}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Funnel_ACreditedOrderSignsTheCustomerWithoutASignedFollowUp(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        (await FollowAsync(c.Owner.Client, c.Customer, "second-meeting")).EnsureSuccessStatusCode();
        await (await c.Owner.Client.PostAsJsonAsync("/api/orders", new { customerId = c.Customer, amount = 500m })).AssertStatusAsync(HttpStatusCode.Created);

        var funnel = await (await c.Manager.Client.GetAsync("/api/reports/funnel?from=2026-12-01&to=2026-12-31")).AssertStatusAsync(HttpStatusCode.OK);

        var stages = funnel.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("customers").GetInt32());
        Assert.Equal(1, stages["signed"]);
        Assert.Equal(1, stages["phone-call"]);
    }
}
