using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Runtime;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// The 10:00 rush (issue 11, scenario 1): 500 salespeople, 200 customers published at once, every
/// salesperson claiming through the HTTP API; beside it the floor, the same claims as hand-written
/// guarded transactions through the raw provider on a copy of the same data.
/// </summary>
public static class Rush
{
    private const int Salespeople = 500;
    private const int Customers = 200;
    private const int Attempts = 3;
    private const int SlotLimit = 15;
    private const int Rehearsals = 3;
    private const int WarmUpCustomers = Rehearsals * Customers;

    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var result = new ScenarioResult("rush", engine, quick: false);
        await using var database = await BenchDatabase.CreateAsync(engine, server, "rush");
        await using var host = HarborHost.Start(database, kestrel: true, SweepBench.NoDispatcher);
        var group = await Loader.GroupAsync(host, "华东一组");
        // One more owner than the customers need: a name sent to review holds a slot (below).
        var owners = await Loader.SalespeopleAsync(host, (Customers + WarmUpCustomers + SlotLimit - 1) / SlotLimit + 1, group, "owner");
        var claimers = await Loader.SalespeopleAsync(host, Salespeople, group, "sales");
        var warmers = await Loader.SalespeopleAsync(host, Salespeople, group, "warm");
        using var http = host.NewHttpClient();

        // 200 prospects registered on 1 December under a few owners, through the API, and more that warm
        // the claim path up before the rush. A generated name close enough to an earlier one goes to the
        // clerk's review (202) and holds its owner's slot; the next name is tried instead, by the next slot.
        var data = new DataGen(options.Seed);
        var slot = 0;
        for (var i = 0; i < Customers + WarmUpCustomers; i++)
        {
            while (true)
            {
                var (phone, _) = data.Phone();
                using var request = HarborHost.Request(HttpMethod.Post, "/api/registrations", owners[slot++ / SlotLimit].Token,
                    HarborHost.Json(new { customer = new { name = data.CompanyName().Name, phone, contactName = data.ContactName() } }));
                using var response = await http.SendAsync(request, ct);
                if ((int)response.StatusCode == 201)
                    break;
                if ((int)response.StatusCode != 202)
                    throw new InvalidOperationException($"Registration {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }

        // 10:00 on the due day: the sweep publishes all 200 at once.
        host.Clock.SetUtcNow(HarborHost.DueDayAtTen);
        var swept = await host.InScopeAsync(services => services.GetRequiredService<Sweep>().RunAsync(ct));
        if (swept.Published != Customers + WarmUpCustomers)
            throw new InvalidOperationException($"The sweep published {swept.Published} customers, not {Customers + WarmUpCustomers}.");
        List<Guid> pool;
        await using (var connection = await database.OpenAsync())
        {
            await using var command = connection.Command("SELECT \"Id\" FROM \"Customers\" WHERE \"Status\" = 'InPool' ORDER BY \"Name\"");
            await using var reader = await command.ExecuteReaderAsync(ct);
            pool = [];
            while (await reader.ReadAsync(ct))
                pool.Add(reader.GetFieldValue<Guid>(0));
        }

        // Everyone's browser is open before 10:00: connections are up.
        await Task.WhenAll(claimers.Select(async c =>
        {
            using var warm = HarborHost.Request(HttpMethod.Get, "/api/pool?pageSize=20", c.Token);
            using var response = await http.SendAsync(warm, ct);
            response.EnsureSuccessStatusCode();
        }));

        // A server that has been up all day has had rushes before, and runs them in optimised code, with its
        // pools of connections and contexts grown to a rush's size. So before the measured rush, three
        // rehearsals of the same shape: 500 other salespeople, 200 other customers each time, three claims
        // each. After each, the rehearsal is sent again (all refused, as most of a rush is) until the
        // compiler has been quiet for a second: the JIT promotes a method only when it is called after the
        // compiler has been quiet for a moment, and once more after its instrumented tier. A warm-up that
        // stopped before waiting for the compiler left the writer's path in instrumented code and a quarter
        // of the rush's CPU samples in the compiler (perf, docs/benchmarks.md "Session 8, lead").
        var warmPool = pool.Skip(Customers).ToList();
        pool = pool.Take(Customers).ToList();
        var warmWins = 0;
        var warmRounds = 0;
        async Task RehearseAsync(List<Claimer> rehearsal)
        {
            warmRounds++;
            await Task.WhenAll(rehearsal.Select(async claimer =>
            {
                foreach (var customerId in claimer.Customers)
                {
                    using var request = HarborHost.Request(HttpMethod.Post, $"/api/pool/{customerId}/claim", claimer.Person.Token, HarborHost.Json(new { }));
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.LoadIntoBufferAsync(ct);
                    if ((int)response.StatusCode == 201)
                        Interlocked.Increment(ref warmWins);
                    else if ((int)response.StatusCode != 409)
                        throw new InvalidOperationException($"A rehearsal claim answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }));
        }

        var settles = new List<string>();
        var rehearsed = new List<Claimer>();
        for (var rehearsal = 0; rehearsal < Rehearsals; rehearsal++)
        {
            rehearsed = Plan(warmers, warmPool.Skip(rehearsal * Customers).Take(Customers).ToList(), options.Seed + 1 + rehearsal);
            await RehearseAsync(rehearsed);
            var settling = JitSettle.WaitAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), ct);
            while (!settling.IsCompleted)
                await RehearseAsync(rehearsed);
            settles.Add(await settling);
        }

        // The floor gets a copy of exactly this state.
        await using var floorDatabase = await database.CopyAsync("rushfloor");

        var plan = Plan(claimers, pool, options.Seed);
        // The copy emptied Npgsql's pools (CREATE DATABASE … TEMPLATE wants the source idle): the last rehearsal
        // once more opens Harbor's connections again, as they are at 10:00 on a server that has been up. Then
        // the bench's own preparation (the copy, the plan) is compiled too: let that finish before the rush.
        await RehearseAsync(rehearsed);
        settles.Add(await JitSettle.WaitAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), ct));
        var warmUp = $"{Rehearsals} rehearsals, sent {warmRounds} times in all, {warmWins} won; after each, and after the floor's copy: {string.Join("; ", settles)}";
        host.Transactions.Clear();
        var statuses = new ConcurrentDictionary<int, int>();
        var latencies = new Latencies();
        var grants = new ConcurrentBag<Grant>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = long.MaxValue, last = 0;
        var tasks = plan.Select(async claimer =>
        {
            await go.Task;
            foreach (var customerId in claimer.Customers)
            {
                using var request = HarborHost.Request(HttpMethod.Post, $"/api/pool/{customerId}/claim", claimer.Person.Token, HarborHost.Json(new { }));
                var sent = Stopwatch.GetTimestamp();
                InterlockedMin(ref first, sent);
                int status;
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    status = (int)response.StatusCode;
                    await response.Content.LoadIntoBufferAsync(ct);
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }

                var received = Stopwatch.GetTimestamp();
                InterlockedMax(ref last, received);
                latencies.Add(sent, received);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status == 201)
                    grants.Add(new Grant(customerId, claimer.Person.Id));
            }
        }).ToList();
        // Use cases re-run after a lost race during the rush (Writes' meter): what the locks did not queue.
        long lostRaces = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Writes.MeterName)
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref lostRaces, value));
        // SQLite's groups (ADR-015): writes per COMMIT, and how long each group held the write lock.
        var groupWrites = new ConcurrentQueue<int>();
        var groupHeld = new ConcurrentQueue<double>();
        meters.SetMeasurementEventCallback<int>((_, value, _, _) => groupWrites.Enqueue(value));
        meters.SetMeasurementEventCallback<double>((_, value, _, _) => groupHeld.Enqueue(value));
        meters.Start();
        var cpu = CpuMeter.StartNew();
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        var jitTimeBefore = JitInfo.GetCompilationTime();
        var pausedBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        go.SetResult();
        await Task.WhenAll(tasks);
        meters.Dispose();
        var settle = Stopwatch.GetElapsedTime(first, last);
        var compiledDuring = JitInfo.GetCompiledMethodCount() - compiledBefore;
        var jitTimeDuring = JitInfo.GetCompilationTime() - jitTimeBefore;
        // A collection stops every thread, the single writer too: its pauses are part of the settle.
        var pausedDuring = GC.GetTotalPauseDuration() - pausedBefore;
        var collectionsDuring = GC.CollectionCount(0) - collectionsBefore;
        var allocatedDuring = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var harborCpu = cpu.PerRequest(plan.Sum(p => p.Customers.Count));

        var errors = statuses.Where(s => s.Key is 0 or >= 500).Sum(s => s.Value);
        var warmWon = warmWins;
        var finished = host.Transactions.Finished.ToList();
        var transactions = finished.Select(t => t.Milliseconds).ToList();
        Violations violations;
        await using (var connection = await database.OpenAsync())
            violations = await Invariants.OfDatabaseAsync(connection, SlotLimit, grants.Count + warmWon) + Invariants.OfGrants(grants.ToList(), SlotLimit, errors: errors);

        // The floor: the same claims, in the same order per salesperson, as raw guarded transactions.
        var floor = await FloorAsync(floorDatabase, plan, warmWon, ct);

        var requests = plan.Sum(p => p.Customers.Count);
        result.Add("claims sent", $"{requests} by {Salespeople} salespeople over {Customers} customers ({Attempts} each, all at once)");
        result.Add("settle (first sent → last answer)", Latencies.Seconds(settle), $"≤ 2× floor ({Latencies.Seconds(floor.Settle * 2)})", settle <= floor.Settle * 2);
        result.Add("latency p50", Latencies.Ms(latencies.Percentile(50)));
        result.Add("latency p99", Latencies.Ms(latencies.Percentile(99)), "≤ 50 ms", latencies.Percentile(99) <= 50);
        result.Add("latency max", Latencies.Ms(latencies.Max));
        result.Add("status counts", string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        result.Add("invariants after the rush", violations.ToString(), "0", violations.Total == 0);
        // PostgreSQL: one transaction per claim. SQLite: the writer's groups (ADR-015), one transaction for several.
        if (transactions.Count > 0)
        {
            result.Add("Harbor's claim transactions (BEGIN → COMMIT/ROLLBACK)",
                $"{transactions.Count:N0} for {requests:N0} claims (the others refused by the read before the transaction; re-runs after a lost race included); p50 {Latencies.Ms(Stats.Percentile(transactions, 50))}, p99 {Latencies.Ms(Stats.Percentile(transactions, 99))}, max {Latencies.Ms(transactions.Max())}; sum {Latencies.Seconds(TimeSpan.FromMilliseconds(transactions.Sum()))} ({TimeSpan.FromMilliseconds(transactions.Sum()) / settle:P0} of the settle time)");
            // The winners commit; the refusals in the transaction roll back. Which of the two the time goes to.
            foreach (var (committed, name) in new[] { (true, "committed (the winners)"), (false, "rolled back (refused in the transaction)") })
            {
                var these = finished.Where(t => t.Committed == committed).Select(t => t.Milliseconds).ToList();
                result.Add($"  of which {name}",
                    $"{these.Count:N0}; p50 {Latencies.Ms(Stats.Percentile(these, 50))}, p90 {Latencies.Ms(Stats.Percentile(these, 90))}, max {Latencies.Ms(these.DefaultIfEmpty(double.NaN).Max())}; sum {Latencies.Seconds(TimeSpan.FromMilliseconds(these.Sum()))}");
            }
        }
        if (!groupWrites.IsEmpty)
        {
            var held = groupHeld.ToList();
            var sizes = groupWrites.Select(n => (double)n).ToList();
            result.Add("Harbor's write groups (BEGIN IMMEDIATE → one COMMIT for several claims)",
                $"{sizes.Count:N0} groups for {sizes.Sum():N0} writes (the others refused by the read before the write; re-runs after a lost race included); writes per group p50 {Stats.Percentile(sizes, 50):N0}, max {sizes.Max():N0}; held p50 {Latencies.Ms(Stats.Percentile(held, 50))}, p99 {Latencies.Ms(Stats.Percentile(held, 99))}, max {Latencies.Ms(held.Max())}; sum {Latencies.Seconds(TimeSpan.FromMilliseconds(held.Sum()))} ({TimeSpan.FromMilliseconds(held.Sum()) / settle:P0} of the settle time)");
        }
        result.Add("the GC during the rush (the whole process: server and clients)",
            $"{collectionsDuring:N0} collections, {pausedDuring.TotalMilliseconds:N0} ms paused; {allocatedDuring / 1048576.0:N0} MB allocated ({allocatedDuring / 1024.0 / requests:N0} KB a claim)");
        result.Add("the JIT before the rush", warmUp);
        result.Add("the JIT during the rush", $"{compiledDuring:N0} methods compiled, {jitTimeDuring.TotalMilliseconds:N0} ms compiling");
        result.Add("claims re-run after a lost race", Interlocked.Read(ref lostRaces).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        result.Add("process CPU per claim, Harbor (server + HTTP clients, spin-waits included)", harborCpu);
        result.Add("process CPU per claim, floor", floor.Cpu);
        result.Add("floor settle", Latencies.Seconds(floor.Settle));
        result.Add("floor latency p50 / p99 / max", $"{Latencies.Ms(floor.Latencies.Percentile(50))} / {Latencies.Ms(floor.Latencies.Percentile(99))} / {Latencies.Ms(floor.Latencies.Max)}");
        result.Add("floor won / refused", $"{floor.Won} / {floor.Refused}");
        result.Add("floor invariants", floor.Violations.ToString(), "0", floor.Violations.Total == 0);
        result.Note(engine == Engine.Sqlite
            ? "Floor on SQLite: one writer in the process (a semaphore), each claim its own BEGIN IMMEDIATE transaction: count the salesperson's slots, conditional UPDATE of the customer (Status = 'InPool'), INSERT the Claimed event, COMMIT."
            : "Floor on PostgreSQL: one transaction per claim on a pooled connection (Npgsql's default pool of 100, as Harbor): SELECT the salesperson's row FOR UPDATE, count slots, conditional UPDATE of the customer (Status = 'InPool'), INSERT the Claimed event, COMMIT.");
        result.Note($"Harbor: {owners.Count} owners registered the customers on 1 December through the API; the clock moved to 16 December 10:00 and the sweep published them; {Rehearsals} rehearsals of the same shape (500 other salespeople, 200 other customers each time) each sent again, all refused, until the background compiler had been quiet for a second (the claim path in its optimised code, EF's query cache, the pools of connections and contexts at a rush's size); every rush salesperson had loaded the pool page once (connections open); after the floor's copy, which empties Npgsql's pools, the last rehearsal was sent once more.");
        return result;
    }

    public sealed record Claimer(Salesperson Person, List<Guid> Customers);

    /// <summary>Who tries which customers, in which order: seeded, the same for Harbor and the floor.</summary>
    private static List<Claimer> Plan(List<Salesperson> claimers, List<Guid> pool, int seed) =>
        claimers.Select((c, i) =>
        {
            var random = new Random(seed + i);
            return new Claimer(c, pool.OrderBy(_ => random.Next()).Take(Attempts).ToList());
        }).ToList();

    private sealed record FloorResult(TimeSpan Settle, Latencies Latencies, int Won, int Refused, Violations Violations, string Cpu);

    private static async Task<FloorResult> FloorAsync(BenchDatabase database, List<Claimer> plan, int warmWon, CancellationToken ct)
    {
        var term = ProtectionTerm.StartingAt(HarborHost.DueDayAtTen, new PolicySettings(), new CompanyCalendar(new PolicySettings()));
        var latencies = new Latencies();
        var grants = new ConcurrentBag<Grant>();
        var refused = 0;
        var errors = 0;
        using var writer = new SemaphoreSlim(1, 1);
        // Open the pool's connections first, as Harbor's were by the warm-up.
        await Task.WhenAll(Enumerable.Range(0, database.Engine == Engine.Sqlite ? 4 : 100).Select(async _ =>
        {
            await using var c = await database.OpenAsync();
            await using var ping = c.Command("SELECT 1");
            await ping.ExecuteScalarAsync(ct);
        }));
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = long.MaxValue, last = 0;
        var tasks = plan.Select(async claimer =>
        {
            await go.Task;
            foreach (var customerId in claimer.Customers)
            {
                var sent = Stopwatch.GetTimestamp();
                InterlockedMin(ref first, sent);
                bool won;
                try
                {
                    won = await ClaimAsync(database, writer, claimer.Person.Id, customerId, term, ct);
                }
                catch (DbException)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                var done = Stopwatch.GetTimestamp();
                InterlockedMax(ref last, done);
                latencies.Add(sent, done);
                if (won)
                    grants.Add(new Grant(customerId, claimer.Person.Id));
                else
                    Interlocked.Increment(ref refused);
            }
        }).ToList();
        var cpu = CpuMeter.StartNew();
        go.SetResult();
        await Task.WhenAll(tasks);
        var settle = Stopwatch.GetElapsedTime(first, last);
        var cpuText = cpu.PerRequest(plan.Sum(p => p.Customers.Count));
        Violations violations;
        await using (var connection = await database.OpenAsync())
            violations = await Invariants.OfDatabaseAsync(connection, SlotLimit, grants.Count + warmWon) + Invariants.OfGrants(grants.ToList(), SlotLimit, errors: errors);
        return new FloorResult(settle, latencies, grants.Count, refused, violations, cpuText);
    }

    /// <summary>The guarded claim of shared/STACK.md, hand-written: lock (or the single writer), count, conditional update, history.</summary>
    public static async Task<bool> ClaimAsync(BenchDatabase database, SemaphoreSlim writer, Guid salespersonId, Guid customerId, ProtectionTerm term, CancellationToken ct)
    {
        var sqlite = database.Engine == Engine.Sqlite;
        if (sqlite)
            await writer.WaitAsync(ct);
        try
        {
            await using var connection = await database.OpenAsync();
            await using var transaction = sqlite
                ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(ct);
            if (!sqlite)
            {
                await using var lockRow = connection.Command("SELECT 1 FROM \"Users\" WHERE \"Id\" = @sp FOR UPDATE", transaction).With("@sp", salespersonId);
                await lockRow.ExecuteScalarAsync(ct);
            }

            await using var count = connection.Command(
                "SELECT count(*) FROM \"Customers\" WHERE \"OwnerId\" = @sp AND \"Status\" IN ('Protected', 'PendingReview')", transaction).With("@sp", salespersonId);
            if (await count.LongAsync() >= SlotLimit)
            {
                await transaction.RollbackAsync(ct);
                return false;
            }

            await using var update = connection.Command(
                "UPDATE \"Customers\" SET \"Status\" = 'Protected', \"OwnerId\" = @sp, \"StartsOn\" = @starts, \"DueOn\" = @due, \"RemindAt\" = @remind, " +
                "\"ReleaseAt\" = @release, \"RemindedFor\" = NULL, \"PublishAt\" = NULL, \"PublishedAt\" = NULL, \"Version\" = \"Version\" + 1 " +
                "WHERE \"Id\" = @id AND \"Status\" = 'InPool'", transaction)
                .With("@sp", salespersonId).With("@starts", term.StartsOn).With("@due", term.DueOn).With("@remind", term.RemindAt)
                .With("@release", term.ReleaseAt).With("@id", customerId);
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return false;
            }

            await using var history = connection.Command(
                "INSERT INTO \"CustomerEvents\" (\"CustomerId\", \"Kind\", \"At\", \"ActorId\", \"SalespersonId\") VALUES (@id, 'Claimed', @at, @sp, @sp)", transaction)
                .With("@id", customerId).With("@at", HarborHost.DueDayAtTen).With("@sp", salespersonId);
            await history.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        finally
        {
            if (sqlite)
                writer.Release();
        }
    }

    private static void InterlockedMin(ref long target, long value)
    {
        long seen;
        while (value < (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
