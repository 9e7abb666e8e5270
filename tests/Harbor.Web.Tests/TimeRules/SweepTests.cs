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

    /// <summary>
    /// SQLite (ADR-010, session 4): while the sweep runs, its connection does not checkpoint the WAL inside
    /// its commits (the sweep does it between batches, outside the write lock), its page cache is bigger, and (session 5)
    /// its commits do not sync the WAL (the checkpoint after each batch does); all three are put back before the
    /// connection returns to the pool, and the sweep still releases everything due.
    /// </summary>
    [Fact]
    public async Task Sweep_Sqlite_NoCheckpointOrSyncInsideItsCommitsABiggerCacheAndTheSettingsPutBack()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        for (var i = 0; i < 3; i++)
            await owner.Client.RegisterOkAsync(app.UniqueName("检查点公司"));

        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var before = await PragmaAsync(db, "PRAGMA wal_autocheckpoint");
            var cache = await PragmaAsync(db, "PRAGMA cache_size");
            var synchronous = await PragmaAsync(db, "PRAGMA synchronous");
            Assert.NotEqual((long)Jobs.SweepSql.SweepSynchronous, synchronous);
            await using (await Jobs.SweepSql.CheckpointOutsideTheLockAsync(db, CancellationToken.None))
            {
                Assert.Equal(0L, await PragmaAsync(db, "PRAGMA wal_autocheckpoint"));
                Assert.Equal(-Jobs.SweepSql.SweepCacheKiB, await PragmaAsync(db, "PRAGMA cache_size"));
                Assert.Equal(Jobs.SweepSql.SweepSynchronous, await PragmaAsync(db, "PRAGMA synchronous"));
                await Jobs.SweepSql.CheckpointAsync(db, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
            }

            Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State);
            Assert.Equal(before, await PragmaAsync(db, "PRAGMA wal_autocheckpoint"));
            Assert.Equal(cache, await PragmaAsync(db, "PRAGMA cache_size"));
            Assert.Equal(synchronous, await PragmaAsync(db, "PRAGMA synchronous"));
            return true;
        });
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        Assert.Equal(3, (await app.SweepAsync()).Released);
    }

    private static async Task<long> PragmaAsync(HarborDbContext db, string pragma)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
            await connection.OpenAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragma;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            if (opened)
                await connection.CloseAsync();
        }
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

    /// <summary>
    /// Session 5: a release batch hands to OwnershipEnded only the customers it flagged in SQL (a pending extension,
    /// a pending or approved cooperation). In one batch with plain customers, the flagged ones must all be found: the
    /// extension ends too late, the cooperation ends; a cooperation on a customer not yet due stays.
    /// </summary>
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_ReleaseBatch_EndsTheExtensionsAndCooperationsOfTheCustomersItReleasesOnly(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = (await app.SalespeopleAsync(1, group))[0];
        var partner = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        var manager = (await app.SeedPeopleAsync(Domain.Access.Role.Manager, 1, group))[0];
        await owner.Client.RegisterOkAsync(app.UniqueName("到期公司"));
        var extended = await owner.Client.RegisterOkAsync(app.UniqueName("延期公司"));
        var cooperated = await owner.Client.RegisterOkAsync(app.UniqueName("合作公司"));
        await owner.Client.RegisterOkAsync(app.UniqueName("到期公司"));
        app.Clock.Advance(TimeSpan.FromDays(1));
        var later = await owner.Client.RegisterOkAsync(app.UniqueName("次日公司"));
        (await owner.Client.PostAsJsonAsync("/api/extensions", new { customerId = extended, days = 3, reason = "客户出差，下周签约" }))
            .EnsureSuccessStatusCode();
        foreach (var customer in new[] { cooperated, later })
        {
            var proposed = await (await owner.Client.PostAsJsonAsync("/api/cooperations", new { customerId = customer, partnerId = partner.Id, sharePercent = 30 }))
                .AssertStatusAsync(HttpStatusCode.Created);
            (await manager.Client.PostAsync($"/api/cooperations/{proposed.GetProperty("id").GetGuid()}/approve", null)).EnsureSuccessStatusCode();
        }

        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        Assert.Equal(4, (await app.SweepAsync()).Released);

        var register = await (await manager.Client.GetAsync("/api/cooperations")).AssertStatusAsync(HttpStatusCode.OK);
        var statuses = register.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("customerId").GetGuid(), i => i.GetProperty("status").GetString());
        Assert.Equal("ended", statuses[cooperated]);
        Assert.Equal("approved", statuses[later]);
        var inbox = await (await manager.Client.GetAsync("/api/extensions")).AssertStatusAsync(HttpStatusCode.OK);
        var request = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal(extended, request.GetProperty("customerId").GetGuid());
        Assert.Equal("too-late", request.GetProperty("status").GetString());
        var told = await (await owner.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Single(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "extension-too-late");
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

    /// <summary>
    /// PostgreSQL (session 5): the release batches skip rows another transaction holds, so that two sweeps share the
    /// work. A customer held by someone else at 10:00 must still be released by this sweep, not left to the next
    /// minute's after the publication was announced: a short batch is followed by one that waits for the holder.
    /// </summary>
    [Fact]
    public async Task Sweep_Postgres_ACustomerHeldByAnotherTransactionIsWaitedForNotLeftBehind()
    {
        await using var app = await HarborApp.StartAsync(Engine.Postgres);
        var owner = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add(await owner.Client.RegisterOkAsync(app.UniqueName("锁定公司")));
        var connectionString = await app.InScopeAsync(services =>
            Task.FromResult(services.GetRequiredService<HarborDbContext>().Database.GetConnectionString()!));
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));

        await using var holder = new Npgsql.NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand("SELECT 1 FROM \"Customers\" WHERE \"Id\" = @id FOR UPDATE", holder, hold))
        {
            lockRow.Parameters.AddWithValue("id", ids[1]);
            await lockRow.ExecuteScalarAsync();
        }

        var sweep = Task.Run(app.SweepAsync);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(sweep.IsCompleted);
        await hold.RollbackAsync();

        Assert.Equal(3, (await sweep).Released);
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            Assert.Equal(3, await db.Customers.CountAsync(c => ids.Contains(c.Id) && c.Status == CustomerStatus.InPool));
            Assert.Equal(3, (await db.Publications.SingleAsync()).Customers);
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

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_SetBased_WritesTheDomainsHistoryAndOneAnnouncementPerActiveSalesperson(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(3, group);
        var due = new Dictionary<Guid, Guid>();
        foreach (var person in people.Take(2))
            for (var i = 0; i < 2; i++)
                due[await person.Client.RegisterOkAsync(app.UniqueName("历史"))] = person.Id;
        var leaver = await app.CreatePersonAsync("salesperson", group);
        var admin = await app.CreatePersonAsync("admin", null);
        (await admin.Client.PostAsync($"/api/users/{leaver.Id}/deactivate", null)).EnsureSuccessStatusCode();
        // Signed customers leave the protection clock: the sweep must not touch them.
        var kept = await people[2].Client.RegisterOkAsync(app.UniqueName("保留"));
        var released = await people[2].Client.RegisterOkAsync(app.UniqueName("自愿放弃"));
        app.Clock.SetUtcNow(Local(12, 16, 9, 0));
        (await people[2].Client.PostAsync($"/api/customers/{released}/release", null)).EnsureSuccessStatusCode();
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            await db.Customers.Where(c => c.Id == kept).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CustomerStatus.Signed));
            return true;
        });
        var versions = await VersionsAsync(app);

        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        Assert.Equal(new Jobs.SweepResult(0, 4, 5), await app.SweepAsync());

        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var ten = Local(12, 16, 10);
            var events = await db.CustomerEvents.AsNoTracking().Where(e => e.Kind == CustomerEventKind.Expired || e.Kind == CustomerEventKind.Published)
                .ToListAsync();
            // What Customer.ExpireIfDue and PublishIfDue record, row for row: the expiry names the
            // owner it ends, the publication nobody; both at the policy's instant, by no actor.
            foreach (var (customer, owner) in due)
            {
                var expired = Assert.Single(events, e => e.CustomerId == customer && e.Kind == CustomerEventKind.Expired);
                Assert.Equal((ten, (Guid?)owner, (Guid?)null, (string?)null), (expired.At, expired.SalespersonId, expired.ActorId, expired.Reason));
                var published = Assert.Single(events, e => e.CustomerId == customer && e.Kind == CustomerEventKind.Published);
                Assert.Equal((ten, (Guid?)null, (Guid?)null), (published.At, published.SalespersonId, published.ActorId));
                Assert.True(expired.Id < published.Id, "The expiry comes before the publication.");
            }

            var voluntary = Assert.Single(events, e => e.CustomerId == released);
            Assert.Equal((CustomerEventKind.Published, ten, (Guid?)null), (voluntary.Kind, voluntary.At, voluntary.SalespersonId));
            Assert.DoesNotContain(events, e => e.CustomerId == kept);

            var customers = await db.Customers.AsNoTracking().Where(c => due.Keys.Contains(c.Id) || c.Id == released || c.Id == kept).ToListAsync();
            foreach (var c in customers.Where(c => c.Id != kept))
            {
                Assert.Equal(CustomerStatus.InPool, c.Status);
                Assert.Equal(ten, c.PublishedAt);
                Assert.Equal((null, null, null, null, null, null, null), (c.OwnerId, c.StartsOn, c.DueOn, c.RemindAt, c.ReleaseAt, c.RemindedFor, c.PublishAt));
                Assert.Equal(versions[c.Id] + 1, c.Version);
            }

            var signed = customers.Single(c => c.Id == kept);
            Assert.Equal((CustomerStatus.Signed, (Guid?)people[2].Id, versions[kept]), (signed.Status, signed.OwnerId, signed.Version));

            var announcements = await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKinds.Published).ToListAsync();
            Assert.Equal(people.Select(p => p.Id).Order(), announcements.Select(n => n.UserId).Order());
            Assert.Equal(announcements.Count, announcements.Select(n => n.Id).Distinct().Count());
            Assert.All(announcements, n => Assert.Equal((app.Clock.GetUtcNow(), (DateTimeOffset?)null), (n.CreatedAt, n.ReadAt)));
            var payload = JsonDocument.Parse(announcements[0].Payload).RootElement;
            Assert.Equal(5, payload.GetProperty("count").GetInt32());
            Assert.Equal(ten, payload.GetProperty("publishedAt").GetDateTimeOffset());
            Assert.Equal(due.Keys.Append(released).Order(), payload.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()).Order());
            Assert.All(announcements, n => Assert.Equal(announcements[0].Payload, n.Payload));
            var publication = await db.Publications.AsNoTracking().SingleAsync(p => p.At == ten);
            Assert.Equal((5, (DateTimeOffset?)app.Clock.GetUtcNow()), (publication.Customers, publication.AnnouncedAt));
            return true;
        });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_Reminders_OneNotificationPerCustomerWithItsPayload(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owners = await app.SalespeopleAsync(2, await app.CreateGroupAsync());
        var ids = new Dictionary<Guid, Guid>();
        foreach (var owner in owners)
            for (var i = 0; i < 3; i++)
                ids[await owner.Client.RegisterOkAsync(app.UniqueName("提醒批量"))] = owner.Id;

        app.Clock.SetUtcNow(Local(12, 15, 9, 0));
        Assert.Equal(6, (await app.SweepAsync()).Reminded);

        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var reminders = await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKinds.DueTomorrow).ToListAsync();
            Assert.Equal(6, reminders.Count);
            foreach (var reminder in reminders)
            {
                var payload = JsonDocument.Parse(reminder.Payload).RootElement;
                var customer = payload.GetProperty("customerId").GetGuid();
                Assert.Equal(ids[customer], reminder.UserId);
                Assert.Equal("2026-12-16", payload.GetProperty("dueOn").GetString());
                Assert.Equal(Local(12, 16, 10), payload.GetProperty("releaseAt").GetDateTimeOffset());
                Assert.StartsWith("提醒批量", payload.GetProperty("customerName").GetString());
            }

            Assert.All(await db.Customers.AsNoTracking().Where(c => ids.Keys.Contains(c.Id)).ToListAsync(),
                c => Assert.Equal(c.DueOn, c.RemindedFor));
            return true;
        });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Sweep_AnnouncementStoppedHalfWay_NextSweepTellsTheRestOnce(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var people = await app.SalespeopleAsync(3, await app.CreateGroupAsync());
        await people[0].Client.RegisterOkAsync(app.UniqueName("半途"));
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        await app.SweepAsync();
        // As if the sweep had stopped after its first batch of salespeople: one told, the publication not marked.
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            await db.Notifications.Where(n => n.Kind == NotificationKinds.Published && n.UserId != people[0].Id).ExecuteDeleteAsync();
            await db.Publications.ExecuteUpdateAsync(s => s.SetProperty(p => p.AnnouncedAt, (DateTimeOffset?)null));
            return true;
        });

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(app.SweepAsync)));

        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var told = await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKinds.Published).Select(n => n.UserId).ToListAsync();
            Assert.Equal(people.Select(p => p.Id).Order(), told.Order());
            Assert.NotNull((await db.Publications.AsNoTracking().SingleAsync()).AnnouncedAt);
            return true;
        });
    }

    [Theory]
    [InlineData(250, 250, 100, 250)] // on target: the same
    [InlineData(250, 250, 20, 500)] // five times faster: at most doubles
    [InlineData(250, 250, 1000, 125)] // ten times slower: at most halves
    [InlineData(250, 250, 60, 416)] // 0.24 ms a row: 416 fit in 100 ms
    [InlineData(250, 80, 1000, 250)] // not full (the last batch): says nothing about a bigger one
    [InlineData(2000, 2000, 1, 2000)] // never above the maximum
    [InlineData(60, 60, 5000, 50)] // never below the minimum
    public void NextBatchSize_FromTheLastBatchsTime_AimsAtTheTarget(int size, int rows, int heldMs, int expected) =>
        Assert.Equal(expected, Jobs.Sweep.NextBatchSize(size, rows, TimeSpan.FromMilliseconds(heldMs)));

    private static Task<Dictionary<Guid, int>> VersionsAsync(HarborApp app) => app.InScopeAsync(async services =>
        await services.GetRequiredService<HarborDbContext>().Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Version));

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
