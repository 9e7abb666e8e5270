using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Pool;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// The quick in-process invariant mode (<c>rush --quick</c>): at least 1,000 seeded rushes on small
/// data (20 salespeople, 10 customers, slot limit 2, three claims each) through Harbor's
/// <see cref="ClaimFromPool"/> use case, each in its own scope as a request would be, checking
/// both invariants after every run; then an unguarded control (count, then insert, in plain
/// ADO.NET) that the same checker must catch.
/// </summary>
public static class RushInvariants
{
    private const int People = 20;
    private const int CustomerCount = 10;
    private const int SlotLimit = 2;
    private const int Attempts = 3;

    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var runs = options.Runs ?? 1000;
        var result = new ScenarioResult("rush", engine, quick: true);
        await using var database = await BenchDatabase.CreateAsync(engine, server, "invariants");
        await using var host = HarborHost.Start(database, kestrel: false,
            new Dictionary<string, string?> { ["Harbor:Policy:SlotLimit"] = SlotLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            HarborHost.DueDayAtTen);
        var group = await Loader.GroupAsync(host, "快测组");
        var people = await Loader.SalespeopleAsync(host, People, group, "quick");
        var data = new DataGen(options.Seed);
        var published = HarborHost.DueDayAtTen.AddDays(-1);
        var rows = Enumerable.Range(0, CustomerCount)
            .Select(_ => data.Customer("InPool", null, null, published, HarborHost.Morning, Calendar, Policy)).ToList();
        await Loader.CustomersAsync(database, rows);
        await Loader.VerifyReadableAsync(host, rows[0]);
        var customers = rows.Select(r => r.Id).ToList();
        await database.ExecuteAsync(engine == Engine.Sqlite
            ? "CREATE TABLE \"BenchControlClaims\" (\"CustomerId\" TEXT NOT NULL, \"SalespersonId\" TEXT NOT NULL)"
            : "CREATE TABLE \"BenchControlClaims\" (\"CustomerId\" uuid NOT NULL, \"SalespersonId\" uuid NOT NULL)");

        var harborViolations = new Violations(0, 0, 0);
        var harborCaught = 0;
        var won = 0;
        var refusals = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < runs && !ct.IsCancellationRequested; run++)
        {
            var eventsBefore = await ResetAsync(database, published);
            var grants = new ConcurrentBag<Grant>();
            var errors = 0;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = people.Select((person, i) => Task.Run(async () =>
            {
                await go.Task;
                var random = new Random(HashCode.Combine(options.Seed, run, i));
                var viewer = new Viewer(person.Id, Role.Salesperson, person.GroupId);
                // A salesperson's claims race each other too (two tabs, a double click): the slot guard is tested.
                await Task.WhenAll(customers.OrderBy(_ => random.Next()).Take(Attempts).Select(customerId => Task.Run(async () =>
                {
                    try
                    {
                        await using var scope = host.Services.CreateAsyncScope();
                        var claim = await scope.ServiceProvider.GetRequiredService<ClaimFromPool>().HandleAsync(viewer, customerId, null, ct);
                        if (claim.Succeeded)
                            grants.Add(new Grant(customerId, person.Id));
                        else
                            refusals.AddOrUpdate(claim.Refusal.GetType().Name, 1, (_, n) => n + 1);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                        Console.Error.WriteLine($"run {run}: {e.GetType().Name}: {e.Message}");
                    }
                }, ct)));
            }, ct)).ToList();
            go.SetResult();
            await Task.WhenAll(tasks);
            won += grants.Count;
            Violations found;
            await using (var connection = await database.OpenAsync())
                found = await Invariants.OfDatabaseAsync(connection, SlotLimit, grants.Count, eventsBefore) + Invariants.OfGrants(grants.ToList(), SlotLimit, errors: errors);
            harborViolations += found;
            if (found.Total > 0)
                harborCaught++;
            if ((run + 1) % 100 == 0)
                Console.WriteLine($"  harbor: {run + 1} runs, {harborViolations}");
        }

        var harborTime = clock.Elapsed;

        // The control: the same rush as count-then-insert with no guard at all.
        var controlViolations = new Violations(0, 0, 0);
        var controlCaught = 0;
        clock.Restart();
        var controlRuns = Math.Min(runs, 200);
        for (var run = 0; run < controlRuns && !ct.IsCancellationRequested; run++)
        {
            await database.ExecuteAsync("DELETE FROM \"BenchControlClaims\"");
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = people.Select((person, i) => Task.Run(async () =>
            {
                await go.Task;
                var random = new Random(HashCode.Combine(options.Seed, run, i));
                await Task.WhenAll(customers.OrderBy(_ => random.Next()).Take(Attempts).Select(customerId => Task.Run(async () =>
                {
                    await using var connection = await database.OpenAsync();
                    await UnguardedClaimAsync(connection, person.Id, customerId, ct);
                }, ct)));
            }, ct)).ToList();
            go.SetResult();
            await Task.WhenAll(tasks);
            var grants = new List<Grant>();
            await using (var connection = await database.OpenAsync())
            await using (var read = connection.Command("SELECT \"CustomerId\", \"SalespersonId\" FROM \"BenchControlClaims\""))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    grants.Add(new Grant(reader.GetFieldValue<Guid>(0), reader.GetFieldValue<Guid>(1)));
            }

            var found = Invariants.OfGrants(grants, SlotLimit);
            controlViolations += found;
            if (found.Total > 0)
                controlCaught++;
        }

        var controlTime = clock.Elapsed;
        result.Add("runs", $"{runs} rushes of {People} salespeople × {Attempts} claims over {CustomerCount} customers, slot limit {SlotLimit}");
        result.Add("Harbor (ClaimFromPool, a scope per claim)", $"{won} won, refusals: {string.Join(", ", refusals.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"))}; {Latencies.Seconds(harborTime)}");
        result.Add("Harbor violations", $"{harborViolations} (in {harborCaught} runs)", "0", harborViolations.Total == 0);
        result.Add("unguarded control (count, then insert)", $"{controlViolations}; caught in {controlCaught} of {controlRuns} runs; {Latencies.Seconds(controlTime)}",
            "caught in every run", controlCaught == controlRuns);
        result.Note("The checker reads the database after each run (active protections per salesperson ≤ limit; at most one Claimed event per customer; as many events as claims reported won) and the claims reported won (a customer won twice, a salesperson above the limit); any exception counts as an error.");
        result.Note("Each salesperson's three claims are sent at once (two tabs, a double click), so the slot guard is raced as well as the customer. The control runs at most 200 rushes: it exists to show the checker catches a missing guard.");
        result.Note("The control awaits once between its reads and its insert, as every real handler does between round trips; with no guard, the checker must catch it.");
        return result;
    }

    private static readonly PolicySettings Policy = new() { SlotLimit = SlotLimit };
    private static readonly CompanyCalendar Calendar = new(Policy);

    /// <summary>Every customer back in the pool; the history stays (it is append-only) and the checker reads only what the run adds.</summary>
    private static async Task<long> ResetAsync(BenchDatabase database, DateTimeOffset published)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var reset = connection.Command(
            "UPDATE \"Customers\" SET \"Status\" = 'InPool', \"OwnerId\" = NULL, \"StartsOn\" = NULL, \"DueOn\" = NULL, \"RemindAt\" = NULL, " +
            "\"ReleaseAt\" = NULL, \"RemindedFor\" = NULL, \"PublishAt\" = NULL, \"PublishedAt\" = @published, \"Version\" = \"Version\" + 1", transaction)
            .With("@published", published);
        await reset.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return await History.LastIdAsync(connection);
    }

    /// <summary>What WukongCRM does (STYLE.md habit 6): read, decide in code, write, with nothing to stop a second writer.</summary>
    private static async Task UnguardedClaimAsync(DbConnection connection, Guid salespersonId, Guid customerId, CancellationToken ct)
    {
        await using var taken = connection.Command("SELECT count(*) FROM \"BenchControlClaims\" WHERE \"CustomerId\" = @c").With("@c", customerId);
        if (await taken.LongAsync() > 0)
            return;
        await using var held = connection.Command("SELECT count(*) FROM \"BenchControlClaims\" WHERE \"SalespersonId\" = @s").With("@s", salespersonId);
        if (await held.LongAsync() >= SlotLimit)
            return;
        await Task.Yield();
        await using var insert = connection.Command("INSERT INTO \"BenchControlClaims\" (\"CustomerId\", \"SalespersonId\") VALUES (@c, @s)")
            .With("@c", customerId).With("@s", salespersonId);
        await insert.ExecuteNonQueryAsync(ct);
    }
}
