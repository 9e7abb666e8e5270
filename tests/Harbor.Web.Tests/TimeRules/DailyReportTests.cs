using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.TimeRules;

/// <summary>Rule 4: the clerk's daily change report, counted from the history.</summary>
public sealed class DailyReportTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Daily_ADayOfWork_CountsPerSalespersonDueTomorrowAndPublished(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(2, group);
        var (a, b) = (people[0], people[1]);
        // 1 December: a registers three and gives one up; b registers one.
        var a1 = await a.Client.RegisterOkAsync(app.UniqueName("日报甲"));
        await a.Client.RegisterOkAsync(app.UniqueName("日报乙"));
        await a.Client.RegisterOkAsync(app.UniqueName("日报丙"));
        await b.Client.RegisterOkAsync(app.UniqueName("日报丁"));
        (await a.Client.PostAsync($"/api/customers/{a1}/release", null)).EnsureSuccessStatusCode();
        // Given up at 09:00, it was due for publication at 10:00 that day; the sweep catches up
        // on 2 December, and b claims it.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 10, 5, 0, Shanghai));
        await app.SweepAsync();
        (await b.Client.PostAsync($"/api/pool/{a1}/claim", null)).EnsureSuccessStatusCode();
        var clerk = await app.CreatePersonAsync("clerk", null);

        var day1 = await (await clerk.Client.GetAsync("/api/reports/daily?date=2026-12-01")).AssertStatusAsync(HttpStatusCode.OK);
        var day2 = await (await clerk.Client.GetAsync("/api/reports/daily?date=2026-12-02")).AssertStatusAsync(HttpStatusCode.OK);
        var day15 = await (await clerk.Client.GetAsync("/api/reports/daily?date=2026-12-15")).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("2026-12-01", day1.GetProperty("date").GetString());
        var a1Row = Row(day1, a.Id);
        Assert.Equal((3, 0, 1, 2), (a1Row.GetProperty("registered").GetInt32(), a1Row.GetProperty("claimed").GetInt32(),
            a1Row.GetProperty("released").GetInt32(), a1Row.GetProperty("active").GetInt32()));
        Assert.Equal(1, Row(day1, b.Id).GetProperty("active").GetInt32());
        var b2Row = Row(day2, b.Id);
        Assert.Equal((0, 1, 2), (b2Row.GetProperty("registered").GetInt32(), b2Row.GetProperty("claimed").GetInt32(), b2Row.GetProperty("active").GetInt32()));
        Assert.Empty(day2.GetProperty("publishedToday").EnumerateArray());
        Assert.Equal(a1, Assert.Single(day1.GetProperty("publishedToday").EnumerateArray()).GetProperty("customerId").GetGuid());
        Assert.Equal(3, day15.GetProperty("dueTomorrow").GetArrayLength());
    }

    [Theory]
    [InlineData("salesperson", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("director", HttpStatusCode.OK)]
    public async Task Daily_ByRole_OnlyClerkManagersDirectors(string role, HttpStatusCode expected)
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var client = role == "admin" ? await app.AdminAsync() : (await app.CreatePersonAsync(role, await app.CreateGroupAsync())).Client;

        var response = await client.GetAsync("/api/reports/daily?date=2026-12-01");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Daily_ManagerSeesOwnGroupOnly()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var mine = await app.CreateGroupAsync();
        var theirs = await app.CreateGroupAsync();
        var inMine = (await app.SalespeopleAsync(1, mine))[0];
        var inTheirs = (await app.SalespeopleAsync(1, theirs))[0];
        var manager = await app.CreatePersonAsync("manager", mine);

        var report = await (await manager.Client.GetAsync("/api/reports/daily?date=2026-12-01")).AssertStatusAsync(HttpStatusCode.OK);

        var ids = report.GetProperty("salespeople").EnumerateArray().Select(r => r.GetProperty("salespersonId").GetGuid()).ToList();
        Assert.Contains(inMine.Id, ids);
        Assert.DoesNotContain(inTheirs.Id, ids);
    }

    [Fact]
    public async Task Daily_BadDate_ValidationFailed()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);

        await (await clerk.Client.GetAsync("/api/reports/daily?date=2026-13-45")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    private static System.Text.Json.JsonElement Row(System.Text.Json.JsonElement report, Guid salespersonId) =>
        report.GetProperty("salespeople").EnumerateArray().Single(r => r.GetProperty("salespersonId").GetGuid() == salespersonId);
}
