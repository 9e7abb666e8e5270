using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.TimeRules;

/// <summary>The public pool: masked until claimed, one winner per customer, slots and the cool-down hold.</summary>
public sealed class PoolTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset DueDayAtTen = new(2026, 12, 16, 10, 0, 0, Shanghai);

    /// <summary>An owner registers customers on 1 December; they are published at 10:00 on the 16th.</summary>
    private static async Task<(HarborApp App, Guid Group, Person Owner, List<Guid> Published)> PublishedAsync(Engine engine, int count,
        IDictionary<string, string?>? settings = null, string? phone = null)
    {
        var app = await HarborApp.StartAsync(engine, settings);
        var group = await app.CreateGroupAsync();
        // Two customers per owner, so that a small slot limit in a test's settings still fits.
        var owners = await app.SalespeopleAsync((count + 1) / 2, group);
        var owner = owners[0];
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var response = await owners[i / 2].Client.RegisterAsync(app.UniqueName("公海客户"), i == 0 ? phone : null, contactName: i == 0 ? "欧阳娜娜" : null);
            ids.Add((await response.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("customerId").GetGuid());
        }

        app.Clock.SetUtcNow(DueDayAtTen);
        await app.SweepAsync();
        return (app, group, owner, ids);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Pool_Published_ListedWithContactsMasked(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 2, phone: "13812345678");
        await using var _app = app;
        var other = (await app.SalespeopleAsync(1, group))[0];

        var pool = await (await other.Client.GetAsync("/api/pool")).AssertStatusAsync(HttpStatusCode.OK);

        var customers = pool.GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(2, customers.Count);
        var first = customers.Single(c => c.GetProperty("customerId").GetGuid() == ids[0]);
        Assert.Equal("138****5678", first.GetProperty("phone").GetString());
        Assert.Equal("欧***", first.GetProperty("contactName").GetString());
        Assert.Equal(DueDayAtTen, first.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.DoesNotContain("13812345678", pool.GetRawText());
        Assert.DoesNotContain("欧阳娜娜", pool.GetRawText());
        Assert.Equal(new DateTimeOffset(2026, 12, 17, 10, 0, 0, Shanghai), pool.GetProperty("nextPublicationAt").GetDateTimeOffset());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_Published_FreshProtectionAndContactsVisible(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 1, phone: "13812345678");
        await using var _app = app;
        var claimer = (await app.SalespeopleAsync(1, group))[0];

        var body = await (await claimer.Client.PostAsJsonAsync($"/api/pool/{ids[0]}/claim", new { })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.Equal(ids[0], body.GetProperty("customerId").GetGuid());
        Assert.Equal(claimer.Id, body.GetProperty("protection").GetProperty("salespersonId").GetGuid());
        Assert.Equal("2026-12-16", body.GetProperty("protection").GetProperty("startsOn").GetString());
        Assert.Equal("2026-12-31", body.GetProperty("protection").GetProperty("dueOn").GetString());
        var record = await (await claimer.Client.GetAsync($"/api/customers/{ids[0]}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("13812345678", record.GetProperty("phone").GetString());
        var pool = await (await claimer.Client.GetAsync("/api/pool")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(pool.GetProperty("customers").EnumerateArray());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_AlreadyClaimed_Refused(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 1);
        await using var _app = app;
        var people = await app.SalespeopleAsync(2, group);
        (await people[0].Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).EnsureSuccessStatusCode();

        await (await people[1].Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertProblemAsync(HttpStatusCode.Conflict, "already-claimed");
    }

    /// <summary>
    /// 64 claimers of one customer at once: they queue on its row (PostgreSQL) or on the single writer
    /// (SQLite); the first wins, every other one reads the winner's state and is refused by name.
    /// </summary>
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_64RacingForOneCustomer_OneWinsTheOthersAlreadyClaimed(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 1);
        await using var _app = app;
        var racers = await app.SalespeopleAsync(64, group);

        var start = new TaskCompletionSource();
        var claims = racers.Select(p => Task.Run(async () =>
        {
            await start.Task;
            return (p.Id, Response: await p.Client.PostAsync($"/api/pool/{ids[0]}/claim", null));
        })).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(claims);

        var winner = Assert.Single(answers, a => a.Response.StatusCode == HttpStatusCode.Created);
        foreach (var (_, response) in answers.Where(a => a.Response.StatusCode != HttpStatusCode.Created))
            await response.AssertProblemAsync(HttpStatusCode.Conflict, "already-claimed");
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == ids[0]);
            Assert.Equal(CustomerStatus.Protected, customer.Status);
            Assert.Equal(winner.Id, customer.OwnerId);
            Assert.Equal(1, await db.CustomerEvents.CountAsync(e => e.CustomerId == ids[0] && e.Kind == CustomerEventKind.Claimed));
            return true;
        });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_GivenUpButNotYetPublished_NotPublished(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(2, group);
        var id = await people[0].Client.RegisterOkAsync(app.UniqueName("待发布"));
        (await people[0].Client.PostAsync($"/api/customers/{id}/release", null)).EnsureSuccessStatusCode();

        var problem = await (await people[1].Client.PostAsync($"/api/pool/{id}/claim", null)).AssertProblemAsync(HttpStatusCode.Conflict, "not-published");

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, Shanghai), problem.GetProperty("publishAt").GetDateTimeOffset());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_AllSlotsInUse_QuotaFullUnlessGivingOneUp(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 1, new Dictionary<string, string?> { ["Harbor:Policy:SlotLimit"] = "2" });
        await using var _app = app;
        var claimer = (await app.SalespeopleAsync(1, group))[0];
        var mine = await claimer.Client.RegisterOkAsync(app.UniqueName("我的一"));
        await claimer.Client.RegisterOkAsync(app.UniqueName("我的二"));

        await (await claimer.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertProblemAsync(HttpStatusCode.Conflict, "quota-full");
        var body = await (await claimer.Client.PostAsJsonAsync($"/api/pool/{ids[0]}/claim", new { releaseCustomerId = mine })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.Equal(mine, body.GetProperty("released").GetProperty("customerId").GetGuid());
        var sheet = await (await claimer.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(2, sheet.GetProperty("slotsUsed").GetInt32());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_LostItWithinThirtyDays_CoolDownUntilThirtyDaysAfterTheRelease(Engine engine)
    {
        var (app, _, owner, ids) = await PublishedAsync(engine, 1);
        await using var _app = app;

        var problem = await (await owner.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertProblemAsync(HttpStatusCode.Conflict, "cool-down");

        Assert.Equal(DueDayAtTen.AddDays(30), problem.GetProperty("until").GetDateTimeOffset());
        app.Clock.SetUtcNow(DueDayAtTen.AddDays(30).AddSeconds(-1));
        await (await owner.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertProblemAsync(HttpStatusCode.Conflict, "cool-down");
        app.Clock.SetUtcNow(DueDayAtTen.AddDays(30));
        await (await owner.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_ClaimReleaseClaimLoop_StoppedByTheCoolDown(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 1);
        await using var _app = app;
        var looper = (await app.SalespeopleAsync(1, group))[0];
        (await looper.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).EnsureSuccessStatusCode();
        (await looper.Client.PostAsync($"/api/customers/{ids[0]}/release", null)).EnsureSuccessStatusCode();
        app.Clock.SetUtcNow(DueDayAtTen.AddDays(1));
        await app.SweepAsync();

        await (await looper.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertProblemAsync(HttpStatusCode.Conflict, "cool-down");
    }

    [Fact]
    public async Task Claim_CoolDownSetToZero_Off()
    {
        var (app, _, owner, ids) = await PublishedAsync(Engine.Sqlite, 1, new Dictionary<string, string?> { ["Harbor:Policy:ReclaimCoolDownDays"] = "0" });
        await using var _app = app;

        await (await owner.Client.PostAsync($"/api/pool/{ids[0]}/claim", null)).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Claim_RushOf300ClaimsByHundredSalespeople_OneWinnerEachNobodyAboveQuotaNoErrors(Engine engine)
    {
        var (app, group, _, ids) = await PublishedAsync(engine, 20, new Dictionary<string, string?> { ["Harbor:Policy:SlotLimit"] = "2" });
        await using var _app = app;
        var rushers = await app.SalespeopleAsync(100, group);

        var start = new TaskCompletionSource();
        var claims = rushers.SelectMany((p, i) => Enumerable.Range(0, 3).Select(k => Task.Run(async () =>
        {
            await start.Task;
            return await p.Client.PostAsync($"/api/pool/{ids[(i * 7 + k * 3) % ids.Count]}/claim", null);
        }))).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(claims);

        Assert.Equal(300, responses.Length);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"Got {(int)r.StatusCode}"));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var held = await db.Customers.Where(c => ids.Contains(c.Id)).Select(c => new { c.Status, c.OwnerId }).ToListAsync();
            Assert.All(held, c => Assert.Equal(CustomerStatus.Protected, c.Status));
            Assert.True(held.GroupBy(c => c.OwnerId).Max(g => g.Count()) <= 2);
            Assert.Equal(20, await db.CustomerEvents.CountAsync(e => e.Kind == CustomerEventKind.Claimed));
            return true;
        });
    }
}
