using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.TimeRules;

/// <summary>The simulation clock: a trainer shows a whole 15-day cycle in minutes.</summary>
public sealed class SimulationClockTests
{
    private static readonly Dictionary<string, string?> Adjustable = new() { ["Harbor:Clock:Adjustable"] = "true" };

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Clock_MovedForwardThroughACycle_SweepReleasesAndPublishes(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, Adjustable);
        using var admin = await app.AdminAsync();
        var start = new DateTimeOffset(2030, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));
        await (await admin.PutAsJsonAsync("/api/admin/clock", new { now = start })).AssertStatusAsync(HttpStatusCode.OK);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group);
        var registered = await (await owner.Client.RegisterAsync(app.UniqueName("演示公司"))).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("2030-03-16", registered.GetProperty("protection").GetProperty("dueOn").GetString());

        await (await admin.PutAsJsonAsync("/api/admin/clock", new { now = start.AddDays(14) })).AssertStatusAsync(HttpStatusCode.OK);
        var reminded = await (await admin.PostAsync("/api/admin/sweep", null)).AssertStatusAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync("/api/admin/clock", new { now = start.AddDays(15).AddHours(1) })).AssertStatusAsync(HttpStatusCode.OK);
        var released = await (await admin.PostAsync("/api/admin/sweep", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(1, reminded.GetProperty("reminded").GetInt32());
        Assert.Equal(1, released.GetProperty("released").GetInt32());
        Assert.Equal(1, released.GetProperty("published").GetInt32());
        // Moving the business clock does not end anyone's session.
        await (await owner.Client.GetAsync("/api/pool")).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Clock_MovedBackward_ClockBackward()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, Adjustable);
        using var admin = await app.AdminAsync();
        await (await admin.PutAsJsonAsync("/api/admin/clock", new { now = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero) })).AssertStatusAsync(HttpStatusCode.OK);

        var response = await admin.PutAsJsonAsync("/api/admin/clock", new { now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "clock-backward");
    }

    [Fact]
    public async Task Clock_NotAdmin_Forbidden()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, Adjustable);
        var clerk = await app.CreatePersonAsync("clerk", null);

        await (await clerk.Client.PutAsJsonAsync("/api/admin/clock", new { now = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero) }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Clock_SettingOff_RoutesDoNotExist()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var admin = await app.AdminAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/admin/clock", new { now = "2031-01-01T00:00:00Z" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/admin/sweep", null)).StatusCode);
    }
}
