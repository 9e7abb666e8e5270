using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Approvals;

/// <summary>Rule 6: extensions — one a month, a manager up to five days, a director beyond.</summary>
public sealed class ExtensionTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private sealed record Cast(HarborApp App, Person Sales, Person Manager, Person OtherManager, Person Director, Guid Customer);

    private static async Task<Cast> CastAsync(Engine engine, IDictionary<string, string?>? settings = null)
    {
        var app = await HarborApp.StartAsync(engine, settings);
        var group = await app.CreateGroupAsync();
        var sales = (await app.SalespeopleAsync(1, group))[0];
        var manager = (await app.SeedPeopleAsync(Role.Manager, 1, group))[0];
        var otherManager = (await app.SeedPeopleAsync(Role.Manager, 1, await app.CreateGroupAsync()))[0];
        var director = (await app.SeedPeopleAsync(Role.Director, 1, null))[0];
        var customer = await sales.Client.RegisterOkAsync(app.UniqueName("延期公司"));
        return new Cast(app, sales, manager, otherManager, director, customer);
    }

    private static Task<HttpResponseMessage> AskAsync(Cast c, int days, Guid? customer = null) =>
        c.Sales.Client.PostAsJsonAsync("/api/extensions", new { customerId = customer ?? c.Customer, days, reason = "客户出差，下周签约" });

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Request_FiveDays_PendingForTheGroupManagerWhoApprovesAndTheDueDateMoves(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        var created = await (await AskAsync(c, 5)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.Equal("manager", created.GetProperty("approverRole").GetString());
        var id = created.GetProperty("id").GetGuid();
        var inbox = await (await c.Manager.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "extension-requested");

        var decided = await (await c.Manager.Client.PostAsJsonAsync($"/api/extensions/{id}/approve", new { comment = "同意" })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal("2026-12-21", decided.GetProperty("dueOn").GetString());
        var record = await (await c.Sales.Client.GetAsync($"/api/customers/{c.Customer}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("2026-12-21", record.GetProperty("dueOn").GetString());
        var told = await (await c.Sales.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "extension-decided" && i.GetProperty("approved").GetBoolean());
        // The reminder and the release moved with the due date.
        c.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 10, 0, 0, Shanghai));
        Assert.Equal(new Jobs.SweepResult(0, 0, 0), await c.App.SweepAsync());
        c.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 20, 9, 0, 0, Shanghai));
        Assert.Equal(1, (await c.App.SweepAsync()).Reminded);
        c.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 21, 10, 0, 0, Shanghai));
        Assert.Equal(1, (await c.App.SweepAsync()).Released);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Request_SixDays_ManagerRefusedRequiresDirectorDirectorApproves(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var created = await (await AskAsync(c, 6)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("director", created.GetProperty("approverRole").GetString());
        var id = created.GetProperty("id").GetGuid();

        await (await c.Manager.Client.PostAsync($"/api/extensions/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "requires-director");
        var decided = await (await c.Director.Client.PostAsync($"/api/extensions/{id}/approve", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("2026-12-22", decided.GetProperty("dueOn").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Decide_ManagerOfAnotherGroup_Forbidden(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = (await (await AskAsync(c, 2)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await c.OtherManager.Client.PostAsync($"/api/extensions/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await c.OtherManager.Client.PostAsync($"/api/extensions/{id}/reject", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Request_SecondInAMonth_ExtensionLimitUnlessTheFirstWasRejected(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var second = await c.Sales.Client.RegisterOkAsync(c.App.UniqueName("第二家"));
        var first = (await (await AskAsync(c, 2)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await AskAsync(c, 2, second)).AssertProblemAsync(HttpStatusCode.Conflict, "extension-limit");
        (await c.Manager.Client.PostAsJsonAsync($"/api/extensions/{first}/reject", new { comment = "理由不足" })).EnsureSuccessStatusCode();
        var again = (await (await AskAsync(c, 2, second)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await c.Manager.Client.PostAsync($"/api/extensions/{again}/approve", null)).EnsureSuccessStatusCode();
        await (await AskAsync(c, 1)).AssertProblemAsync(HttpStatusCode.Conflict, "extension-limit");

        // A new calendar month, a new request.
        c.App.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 0, 0, 0, Shanghai));
        var january = await c.Sales.Client.RegisterOkAsync(c.App.UniqueName("一月"));
        await (await AskAsync(c, 1, january)).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Request_BadInput_RefusedByName(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var colleague = (await c.App.SalespeopleAsync(1, c.Sales.GroupId!.Value))[0];
        var theirs = await colleague.Client.RegisterOkAsync(c.App.UniqueName("同事的"));

        await (await AskAsync(c, 0)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await AskAsync(c, 16)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await c.Sales.Client.PostAsJsonAsync("/api/extensions", new { customerId = c.Customer, days = 2, reason = " " }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await AskAsync(c, 2, theirs)).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
        await (await c.Manager.Client.PostAsJsonAsync("/api/extensions", new { customerId = c.Customer, days = 2, reason = "x" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Decide_TwoApproversAtTheSameMoment_OneWins(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = (await (await AskAsync(c, 3)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var directors = await c.App.SeedPeopleAsync(Role.Director, 6, null);

        var start = new TaskCompletionSource();
        var deciders = directors.Select(d => d.Client).Append(c.Manager.Client).Select((client, i) => Task.Run(async () =>
        {
            await start.Task;
            return await client.PostAsync($"/api/extensions/{id}/{(i % 2 == 0 ? "approve" : "reject")}", null);
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(deciders);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            await loser.AssertProblemAsync(HttpStatusCode.Conflict, "already-decided");
        var record = await (await c.Sales.Client.GetAsync($"/api/customers/{c.Customer}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(record.GetProperty("dueOn").GetString(), new[] { "2026-12-16", "2026-12-19" });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Request_StillPendingAtTheDueTime_ReleasedAnywayTooLateAndTheSalespersonIsTold(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = (await (await AskAsync(c, 3)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        c.App.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 10, 0, 0, Shanghai));
        await (await c.Manager.Client.PostAsync($"/api/extensions/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Conflict, "too-late");
        Assert.Equal(1, (await c.App.SweepAsync()).Released);

        await (await c.Manager.Client.PostAsync($"/api/extensions/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Conflict, "too-late");
        var inbox = await (await c.Manager.Client.GetAsync("/api/extensions")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("too-late", Assert.Single(inbox.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
        var told = await (await c.Sales.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "extension-too-late");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inbox_ManagerSeesOwnGroupWithWhatTheDecisionNeeds(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        (await AskAsync(c, 4)).EnsureSuccessStatusCode();

        var mine = await (await c.Manager.Client.GetAsync("/api/extensions?status=pending")).AssertStatusAsync(HttpStatusCode.OK);
        var theirs = await (await c.OtherManager.Client.GetAsync("/api/extensions")).AssertStatusAsync(HttpStatusCode.OK);

        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(15, item.GetProperty("daysLeft").GetInt32());
        Assert.Equal(1, item.GetProperty("salespersonRequestsThisMonth").GetInt32());
        Assert.Equal(c.Sales.Id, item.GetProperty("salesperson").GetProperty("id").GetGuid());
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
    }
}
