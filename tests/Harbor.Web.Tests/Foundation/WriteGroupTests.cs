using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Foundation;

/// <summary>
/// ADR-015: SQLite's queued writes share one transaction and one COMMIT, each inside its own savepoint. The writer is
/// held by a write that waits, so that the writes queued behind it are sure to meet in one group; the gate here is the
/// app's but for its time limit, which a loaded machine would otherwise reach between two writes.
/// </summary>
public sealed class WriteGroupTests
{
    [Fact]
    public async Task QueuedWrites_ShareOneCommit_AndEachIsAnsweredOnlyOnceAnotherConnectionSeesIt()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var gate = GroupingGate(app);
        var connectionString = await app.InScopeAsync(services =>
            Task.FromResult(services.GetRequiredService<HarborDbContext>().Database.GetConnectionString()!));
        var sizes = new ConcurrentQueue<int>();
        using var meter = ListenToGroupSizes(new SqliteConnectionStringBuilder(connectionString).DataSource, sizes);
        var release = Hold(gate);

        var seenWhenAnswered = Enumerable.Range(0, 20).Select(i => AnswerThenLookAsync(i)).ToList();
        await release();

        Assert.All(await Task.WhenAll(seenWhenAnswered), Assert.True);
        Assert.Contains(sizes, size => size > 1);
        Assert.Equal(20, sizes.Sum());

        async Task<bool> AnswerThenLookAsync(int i)
        {
            var name = $"group-{i}";
            var written = await WriteSettingAsync(app, gate, name);
            Assert.True(written.Succeeded);
            // The caller has its answer: the write is committed, so any other connection sees it now.
            await using var other = new SqliteConnection(connectionString);
            await other.OpenAsync();
            await using var command = other.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM RegistrySettings WHERE Name = $name";
            command.Parameters.AddWithValue("$name", name);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
    }

    [Fact]
    public async Task InOneGroup_ARefusalUndoesOnlyItsOwnWrites_AndSawTheWriteBeforeIt()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var gate = GroupingGate(app);
        var release = Hold(gate);

        var first = WriteSettingAsync(app, gate, "first");
        var sawFirst = false;
        var refused = WriteAsync(app, gate, async db =>
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO RegistrySettings (Name, Value) VALUES ('refused', 'x')");
            sawFirst = await db.RegistrySettings.AnyAsync(s => s.Name == "first");
            return new Refusal.NotFound("test");
        });
        var last = WriteSettingAsync(app, gate, "last");
        await release();

        Assert.True((await first).Succeeded);
        Assert.False((await refused).Succeeded);
        Assert.True((await last).Succeeded);
        Assert.True(sawFirst);
        Assert.Equal(["first", "last"], await SettingsAsync(app, "first", "refused", "last"));
    }

    [Fact]
    public async Task AWriteThatEndsTheGroupsTransaction_FailsEveryWriteInTheGroup_AndKeepsNoneOfThem()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var gate = GroupingGate(app);
        var release = Hold(gate);

        var before = WriteSettingAsync(app, gate, "before");
        // What SQLite does itself on some failures (a full disk, an I/O error): the whole transaction is rolled back.
        var breaking = WriteAsync(app, gate, async db =>
        {
            await db.Database.ExecuteSqlRawAsync("ROLLBACK");
            return true;
        });
        var after = WriteSettingAsync(app, gate, "after");
        await release();

        await Assert.ThrowsAnyAsync<Exception>(() => before);
        await Assert.ThrowsAnyAsync<Exception>(() => breaking);
        // The next group starts afresh on a new connection.
        Assert.True((await after).Succeeded);
        Assert.Equal(["after"], await SettingsAsync(app, "before", "after"));
        Assert.True((await WriteSettingAsync(app, gate, "later")).Succeeded);
    }

    [Fact]
    public async Task AWriteAlone_CommitsTheGroupBeforeIt_SoTheWritesQueuedEarlierAreAnsweredWithoutWaitingForIt()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var gate = GroupingGate(app);
        var release = Hold(gate);

        var claim = WriteSettingAsync(app, gate, "claim");
        // A long write, as the workbook import is: it goes on until the test lets it finish.
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var import = WriteAsync(app, gate, async db =>
        {
            db.RegistrySettings.Add(new RegistrySetting { Name = "import", Value = "x" });
            await finish.Task;
            return true;
        }, alone: true);
        await release();

        Assert.True((await claim.WaitAsync(TimeSpan.FromSeconds(30))).Succeeded);
        Assert.False(import.IsCompleted);
        finish.SetResult();
        Assert.True((await import).Succeeded);
        Assert.Equal(["claim", "import"], await SettingsAsync(app, "claim", "import"));
    }

    /// <summary>Holds the writer with a write that waits, until the returned release is called.</summary>
    private static Func<Task> Hold(WriteGate gate)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(async () => { await hold.Task; return 0; }, CancellationToken.None);
        return () =>
        {
            hold.SetResult();
            return holding;
        };
    }

    private static WriteGate GroupingGate(HarborApp app)
    {
        var options = app.Services.GetRequiredService<DbContextOptions<SqliteHarborDbContext>>();
        using var probe = new SqliteHarborDbContext(options);
        return new WriteGate(probe.Database.GetConnectionString(), () => new SqliteHarborDbContext(options), TimeSpan.FromMinutes(1));
    }

    private static Task<Result<bool>> WriteSettingAsync(HarborApp app, WriteGate gate, string name) => WriteAsync(app, gate, db =>
    {
        db.RegistrySettings.Add(new RegistrySetting { Name = name, Value = "x" });
        return Task.FromResult<Result<bool>>(true);
    });

    /// <summary>A use case written through <paramref name="gate"/> in a scope of its own, as a request's would be.</summary>
    private static Task<Result<bool>> WriteAsync(HarborApp app, WriteGate gate, Func<HarborDbContext, Task<Result<bool>>> useCase, bool alone = false) =>
        app.InScopeAsync(services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            return alone
                ? db.WriteAloneAsync(gate, () => useCase(db), CancellationToken.None)
                : db.WriteAsync(gate, () => useCase(db), CancellationToken.None);
        });

    private static Task<List<string>> SettingsAsync(HarborApp app, params string[] names) => app.InScopeAsync(services =>
        services.GetRequiredService<HarborDbContext>().RegistrySettings.AsNoTracking()
            .Where(s => names.Contains(s.Name)).Select(s => s.Name).ToListAsync()
            .ContinueWith(t => t.Result.OrderBy(n => Array.IndexOf(names, n)).ToList(), TaskScheduler.Default));

    /// <summary>Writes per COMMIT on this test's database only (other tests' apps commit meanwhile).</summary>
    private static MeterListener ListenToGroupSizes(string database, ConcurrentQueue<int> sizes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Writes.MeterName && instrument.Name == "harbor.writes.group_writes")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "db.namespace" && Equals(tag.Value, database))
                    sizes.Enqueue(value);
            }
        });
        listener.Start();
        return listener;
    }
}
