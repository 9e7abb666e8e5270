using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.TimeRules;

/// <summary>Rules 2 and 4 as time passes: the 09:00 reminder, the 10:00 release and publication.</summary>
public sealed class SweepTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new(year, month, day, hour, minute, 0, Shanghai);

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_AtNineTheDayBeforeDue_RemindsTheOwnerOnce(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("提醒公司"));

        app.Clock.SetUtcNow(Local(12, 15, 8, 59));
        Assert.Equal(0, (await app.SweepAsync()).Reminded);
        app.Clock.SetUtcNow(Local(12, 15, 9, 0));
        Assert.Equal(1, (await app.SweepAsync()).Reminded);
        Assert.Equal(0, (await app.SweepAsync()).Reminded);

        using var client = await app.SignInAsync(owner.Username, HarborApp.Password);
        var items = await ItemsAsync(client);
        var reminder = Assert.Single(items, i => i.GetProperty("kind").GetString() == "due-tomorrow");
        Assert.Equal(id, reminder.GetProperty("customerId").GetGuid());
        Assert.Equal("2026-12-16", reminder.GetProperty("dueOn").GetString());
        Assert.False(reminder.GetProperty("read").GetBoolean());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_AtTenOnTheDueDay_ReleasesPublishesAndTellsEverySalespersonOnce(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group);
        var colleague = await app.CreatePersonAsync("salesperson", group);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add(await owner.Client.RegisterOkAsync(app.UniqueName("到期公司")));

        app.Clock.SetUtcNow(Local(12, 16, 9, 59));
        Assert.Equal(0, (await app.SweepAsync()).Released);
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        var result = await app.SweepAsync();

        Assert.Equal(3, result.Released);
        Assert.Equal(3, result.Published);
        Assert.Equal(new Jobs.SweepResult(0, 0, 0), await app.SweepAsync());
        using var client = await app.SignInAsync(colleague.Username, HarborApp.Password);
        var pool = await (await client.GetAsync("/api/pool")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(ids.Order(), pool.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()).Order());
        var published = Assert.Single(await ItemsAsync(client), i => i.GetProperty("kind").GetString() == "published");
        Assert.Equal(3, published.GetProperty("count").GetInt32());
        Assert.Equal(3, published.GetProperty("customers").GetArrayLength());
        using var ownerClient = await app.SignInAsync(owner.Username, HarborApp.Password);
        var sheet = await (await ownerClient.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(0, sheet.GetProperty("slotsUsed").GetInt32());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_VoluntaryRelease_PublishedAtTheNextTenNotBefore(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        var early = await owner.Client.RegisterOkAsync(app.UniqueName("早放弃"));
        var late = await owner.Client.RegisterOkAsync(app.UniqueName("晚放弃"));
        app.Clock.SetUtcNow(Local(12, 2, 9, 30));
        (await owner.Client.PostAsync($"/api/customers/{early}/release", null)).EnsureSuccessStatusCode();
        app.Clock.SetUtcNow(Local(12, 2, 10, 30));
        (await owner.Client.PostAsync($"/api/customers/{late}/release", null)).EnsureSuccessStatusCode();

        app.Clock.SetUtcNow(Local(12, 2, 9, 59).AddHours(1).AddMinutes(1)); // 11:00 on 2 December
        Assert.Equal(1, (await app.SweepAsync()).Published);
        app.Clock.SetUtcNow(Local(12, 3, 9, 59));
        Assert.Equal(0, (await app.SweepAsync()).Published);
        app.Clock.SetUtcNow(Local(12, 3, 10, 0));
        Assert.Equal(1, (await app.SweepAsync()).Published);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_TwoAtOnce_RemindsOnceReleasesOnceAnnouncesOnce(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(4, group);
        foreach (var person in people)
            for (var i = 0; i < 10; i++)
                await person.Client.RegisterOkAsync(app.UniqueName("并发清扫"));

        app.Clock.SetUtcNow(Local(12, 15, 9, 0));
        var reminders = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(app.SweepAsync)));
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        var releases = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(app.SweepAsync)));

        Assert.Equal(40, reminders.Sum(r => r.Reminded));
        Assert.Equal(40, releases.Sum(r => r.Released));
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            Assert.Equal(40, await db.CustomerEvents.CountAsync(e => e.Kind == CustomerEventKind.Expired));
            Assert.Equal(40, await db.CustomerEvents.CountAsync(e => e.Kind == CustomerEventKind.Published));
            Assert.Equal(40, await db.Notifications.CountAsync(n => n.Kind == NotificationKinds.DueTomorrow));
            Assert.Equal(4, await db.Notifications.CountAsync(n => n.Kind == NotificationKinds.Published));
            return true;
        });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_AfterThreeDaysDown_CatchesUpInOrderAtThePolicyInstants(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        var registered = new List<Guid>();
        for (var day = 1; day <= 3; day++)
        {
            app.Clock.SetUtcNow(Local(12, day, 11));
            registered.Add(await owner.Client.RegisterOkAsync(app.UniqueName("停机")));
        }

        // Down from before the first due day (16 December) until 20 December.
        app.Clock.SetUtcNow(Local(12, 20, 8));
        var result = await app.SweepAsync();

        Assert.Equal(new Jobs.SweepResult(0, 3, 3), result);
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var expired = await db.CustomerEvents.Where(e => e.Kind == CustomerEventKind.Expired)
                .OrderBy(e => e.Id).Select(e => new { e.CustomerId, e.At }).ToListAsync();
            Assert.Equal(registered, expired.Select(e => e.CustomerId));
            Assert.Equal([Local(12, 16, 10), Local(12, 17, 10), Local(12, 18, 10)], expired.Select(e => e.At.ToOffset(Shanghai)));
            Assert.Equal(3, await db.Notifications.CountAsync(n => n.Kind == NotificationKinds.Published && n.UserId == owner.Id));
            return true;
        });
    }

    [Fact]
    public async Task SweepService_ClockPassesTen_ReleasesWithoutBeingAsked()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:Sweep:Enabled"] = "true" });
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("后台"));

        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var status = "";
        // Polls for up to a minute: on a loaded machine the timer's tick can take a while.
        for (var i = 0; i < 1200 && status != nameof(CustomerStatus.InPool); i++)
        {
            await Task.Delay(50);
            status = await app.InScopeAsync(async s => (await s.GetRequiredService<HarborDbContext>().Customers.AsNoTracking().FirstAsync(c => c.Id == id)).Status.ToString());
        }

        Assert.Equal(nameof(CustomerStatus.InPool), status);
    }

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client)
    {
        var body = await (await client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        return body.GetProperty("items").EnumerateArray().ToList();
    }
}
