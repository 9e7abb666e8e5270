using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Customers;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// The conflict check at a million customers (issue 11, scenario 2): <c>POST /api/customers/check</c>
/// by 16 concurrent clients for exact-name hits (spelled another way), phone hits (written another
/// way) and misses. The similar-name part comes with the duplicate-detection work.
/// </summary>
public static class Check
{
    private const int Clients = 16;

    /// <summary>Checks a second in the open loop: far above a sales team's busiest hour.</summary>
    private const int OpenRate = 200;

    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var size = options.Quick ? 100_000 : 1_000_000;
        var perClient = options.Quick ? 450 : 900;
        var result = new ScenarioResult("check", engine, options.Quick);
        await using var database = await BenchDatabase.CreateAsync(engine, server, "check");
        // The bench measures the check, not the per-person limiter: 16 clients stand for many people.
        await using var host = HarborHost.Start(database, kestrel: true,
            new Dictionary<string, string?> { ["Harbor:RateLimits:ChecksPerMinute"] = "1000000" });
        var group = await Loader.GroupAsync(host, "华南二组");
        var owners = await Loader.SalespeopleAsync(host, size / 500, group, "owner");
        var checkers = await Loader.SalespeopleAsync(host, Clients, group, "check");

        var data = new DataGen(options.Seed);
        var samples = new List<CustomerRow>();
        var load = Stopwatch.StartNew();
        await Loader.CustomersAsync(database, Registry(data, size, owners, samples));
        await database.AnalyzeAsync();
        load.Stop();
        await Loader.VerifyReadableAsync(host, samples[0]);
        Console.WriteLine($"  loaded {size:N0} customers in {load.Elapsed.TotalSeconds:0.0} s");
        // What every start does on the registry before serving (re-key check, names without grams): it grows with the registry.
        var startup = Stopwatch.StartNew();
        await host.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<Harbor.Web.Data.HarborDbContext>();
            await Harbor.Web.Data.DatabaseSetup.RekeyAsync(db, TimeProvider.System, ct);
            return await Harbor.Web.Data.DatabaseSetup.IndexNamesAsync(db, ct);
        });
        startup.Stop();

        // Every request prepared before the clock starts: a third each of name hits, phone hits, misses.
        Probe NewProbe(int i)
        {
            var sample = samples[data.Random.Next(samples.Count)];
            return (i % 3) switch
            {
                0 => new Probe("name hit", new { name = data.Respell(sample.Name) }, sample.Id),
                1 when sample.PhoneKey is not null => new Probe("phone hit", new { phone = data.Reformat(sample.PhoneKey) }, sample.Id),
                1 => new Probe("name hit", new { name = sample.Name }, sample.Id),
                _ => new Probe("miss", new { name = data.MissName() }, null),
            };
        }

        var plans = Enumerable.Range(0, Clients).Select(c => Enumerable.Range(0, perClient + 50).Select(i => NewProbe(i + c)).ToList()).ToList();
        // The one-client run gets requests of its own (a p99 over 2,400, not over the concurrent run's warm-up).
        var sequentialPlan = Enumerable.Range(0, 100 + 2400).Select(NewProbe).ToList();
        var openPlan = Enumerable.Range(0, OpenRate * (options.Quick ? 5 : 10)).Select(NewProbe).ToList();

        using var http = host.NewHttpClient();

        var latencies = ByKind();
        var wrong = 0;
        var failed = 0;
        var withSimilar = 0;
        var clock = Stopwatch.StartNew();
        var cpu = CpuMeter.StartNew();
        await Task.WhenAll(plans.Select((plan, c) => Task.Run(async () =>
        {
            for (var i = 0; i < plan.Count; i++)
            {
                var probe = plan[i];
                using var request = HarborHost.Request(HttpMethod.Post, "/api/customers/check", checkers[c].Token, HarborHost.Json(probe.Body));
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var done = Stopwatch.GetTimestamp();
                if (i < 50)
                    continue; // warm-up
                latencies[probe.Kind].Add(sent, done);
                if ((int)response.StatusCode != 200)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                        Console.Error.WriteLine($"  first non-200: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                    continue;
                }

                using var json = JsonDocument.Parse(body);
                var matches = json.RootElement.GetProperty("matches").EnumerateArray().ToList();
                var ids = matches.Select(m => m.GetProperty("customerId").GetGuid()).ToList();
                // A miss may still have similar names (once that part is in): only an exact match is wrong.
                var exact = matches.Count(m => m.GetProperty("match").GetString() != "similar-name");
                if (probe.Expected is { } expected ? !ids.Contains(expected) : exact > 0)
                    Interlocked.Increment(ref wrong);
                if (matches.Count > exact)
                    Interlocked.Increment(ref withSimilar);
            }
        }, ct)));
        clock.Stop();
        var cpuText = cpu.PerRequest(plans.Sum(p => p.Count));

        // One client, one request at a time, after the concurrent run (so the JIT has settled): what a check costs without queueing
        // (issue 6's exact-key target is 2 ms), and the process CPU per check of one client (it includes the thread pool spinning between requests, so it reads higher than the concurrent run's).
        var sequential = ByKind();
        var sequentialShape = sequential.Keys.ToDictionary(k => k, _ => new RequestShape());
        var sequentialCpu = CpuMeter.StartNew();
        var sequentialWarmUp = "";
        var (gcPause, gcCount) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0));
        for (var i = 0; i < sequentialPlan.Count; i++)
        {
            if (i == 100)
            {
                // The background compiler may still be tiering up what the concurrent run used; a one-client
                // p99 is about Harbor, not about the JIT taking one of the two cores for a moment (JitSettle).
                sequentialWarmUp = await JitSettle.WaitAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), ct);
                sequentialCpu = CpuMeter.StartNew();
                (gcPause, gcCount) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0));
            }
            var probe = sequentialPlan[i];
            using var request = HarborHost.Request(HttpMethod.Post, "/api/customers/check", checkers[0].Token, HarborHost.Json(probe.Body));
            var (allocatedBefore, collectionsBefore) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            await response.Content.ReadAsStringAsync(ct);
            if (i >= 100)
            {
                sequential[probe.Kind].Add(sent, Stopwatch.GetTimestamp());
                // One request at a time: what the process allocated meanwhile is this request's (server and client),
                // and a collection that ran meanwhile paused it.
                var kind = sequentialShape[probe.Kind];
                kind.Allocated += GC.GetTotalAllocatedBytes() - allocatedBefore;
                kind.WithCollection += GC.CollectionCount(0) != collectionsBefore ? 1 : 0;
            }
        }

        var sequentialCpuText = sequentialCpu.PerRequest(sequentialPlan.Count - 100);
        var sequentialGc = $"{GC.CollectionCount(0) - gcCount} collections, {(GC.GetTotalPauseDuration() - gcPause).TotalMilliseconds:0} ms paused in all";

        // Open loop: checks arrive at a steady rate whether or not the earlier ones were answered, as people's
        // checks do; each latency runs from the moment its request was due, so a late send counts against Harbor.
        var open = ByKind();
        var openFailed = 0;
        var openTasks = new List<Task>(openPlan.Count);
        var openStart = Stopwatch.GetTimestamp();
        long DueAt(int request) => openStart + request * Stopwatch.Frequency / OpenRate;
        for (var i = 0; i < openPlan.Count;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; i < openPlan.Count && DueAt(i) <= now; i++)
            {
                var (probe, due, token) = (openPlan[i], DueAt(i), checkers[i % Clients].Token);
                openTasks.Add(Task.Run(async () =>
                {
                    using var request = HarborHost.Request(HttpMethod.Post, "/api/customers/check", token, HarborHost.Json(probe.Body));
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.ReadAsStringAsync(ct);
                    open[probe.Kind].Add(due, Stopwatch.GetTimestamp());
                    if ((int)response.StatusCode != 200)
                        Interlocked.Increment(ref openFailed);
                }, ct));
            }

            await Task.Delay(1, ct);
        }

        await Task.WhenAll(openTasks);
        var openSeconds = Stopwatch.GetElapsedTime(openStart).TotalSeconds;

        // The floor of an exact phone hit: the same lookup (the customers by key with their holder and group, and the pending
        // registrations) as one hand-written statement, prepared, on one open connection of the raw provider, one at a time.
        var floor = new Latencies();
        var phoneKeys = sequentialPlan.Where(p => p.Kind == "phone hit")
            .Select(p => LibPhoneNumberParser.Keys.Key((string)p.Body.GetType().GetProperty("phone")!.GetValue(p.Body)!)!).ToList();
        await using (var connection = await database.OpenAsync())
        {
            await using var lookup = connection.Command("""
                SELECT c."Id", c."Name", c."Status", c."DueOn", c."PublishAt", u."DisplayName", g."Name"
                FROM (SELECT * FROM "Customers" WHERE "PhoneKey" = @key ORDER BY "Id" LIMIT 20) AS c
                LEFT JOIN "Users" AS u ON c."OwnerId" = u."Id" LEFT JOIN "Groups" AS g ON u."GroupId" = g."Id"
                UNION ALL
                SELECT r."Id", r."Name", NULL, NULL, NULL, u."DisplayName", g."Name"
                FROM (SELECT * FROM "Reviews" WHERE "Status" = 'Pending' AND "PhoneKey" = @key ORDER BY "RequestedAt" LIMIT 20) AS r
                LEFT JOIN "Users" AS u ON r."SalespersonId" = u."Id" LEFT JOIN "Groups" AS g ON u."GroupId" = g."Id"
                """).With("key", phoneKeys[0]);
            await lookup.PrepareAsync(ct);
            for (var i = 0; i < phoneKeys.Count + 100; i++)
            {
                lookup.Parameters[0].Value = phoneKeys[i % phoneKeys.Count];
                var sent = Stopwatch.GetTimestamp();
                await using (var reader = await lookup.ExecuteReaderAsync(ct))
                    while (await reader.ReadAsync(ct))
                        _ = reader.GetValue(0);
                if (i >= 100)
                    floor.Add(sent, Stopwatch.GetTimestamp());
            }
        }

        // The use case alone, in process, without HTTP: what the check itself costs per kind.
        var inProcess = ByKind();
        var inProcessShape = inProcess.Keys.ToDictionary(k => k, _ => new RequestShape());
        for (var i = 0; i < sequentialPlan.Count; i++)
        {
            var probe = sequentialPlan[i];
            var body = JsonSerializer.SerializeToElement(probe.Body);
            var checkRequest = new Harbor.Web.Features.Customers.CheckRequest(
                body.TryGetProperty("name", out var n) ? n.GetString() : null, body.TryGetProperty("phone", out var ph) ? ph.GetString() : null, null);
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var sent = Stopwatch.GetTimestamp();
            await host.InScopeAsync(async services =>
                await services.GetRequiredService<Harbor.Web.Features.Customers.CheckConflicts>().HandleAsync(checkRequest, ct));
            if (i >= 100)
            {
                inProcess[probe.Kind].Add(sent, Stopwatch.GetTimestamp());
                inProcessShape[probe.Kind].Allocated += GC.GetTotalAllocatedBytes() - allocatedBefore;
            }
        }

        // Registration must not slow down as the registry grows (issue 6): new prospects registered one at a time by the
        // checkers (12 each, under the slot limit), each with a new name and phone; quick (100,000) and full (1,000,000) compare.
        var registrations = new Latencies();
        var registered = 0;
        var held = 0;
        // The first round (one each) is the warm-up: it compiles the registration's path, which no check used.
        for (var i = 0; i < Clients * 13; i++)
        {
            var (phone, _) = data.Phone();
            var body = new { customer = new { name = data.MissName(), phone } };
            using var request = HarborHost.Request(HttpMethod.Post, "/api/registrations", checkers[i % Clients].Token, HarborHost.Json(body));
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            await response.Content.ReadAsStringAsync(ct);
            if (i < Clients)
                continue;
            registrations.Add(sent, Stopwatch.GetTimestamp());
            if ((int)response.StatusCode is 201 or 202)
                registered++;
            else if ((int)response.StatusCode == 409)
                held++; // a generated name that exists already: refused as it should be
        }

        var total = latencies.Values.Sum(l => l.Count);
        result.Add("registry", $"{size:N0} customers (bulk-loaded in {load.Elapsed.TotalSeconds:0.0} s), {owners.Count:N0} salespeople");
        result.Add("start-up work on the registry (re-key check, names without grams)", $"{startup.Elapsed.TotalMilliseconds:N0} ms");
        result.Add("requests", $"{total:N0} by {Clients} concurrent clients in {clock.Elapsed.TotalSeconds:0.0} s ({total / clock.Elapsed.TotalSeconds:0} req/s)");
        foreach (var (kind, l) in latencies)
            result.Add($"{kind} p50 / p99 / max", $"{Latencies.Ms(l.Percentile(50))} / {Latencies.Ms(l.Percentile(99))} / {Latencies.Ms(l.Max)}");
        result.Add("process CPU per request (server + clients, spin-waits included)", cpuText);
        result.Add("open loop", $"{openPlan.Count:N0} checks due at {OpenRate} a second (answered in {openSeconds:0.0} s; a third of each kind)");
        foreach (var (kind, l) in open)
            result.Add($"open loop, {OpenRate} a second: {kind} p50 / p99 / max", $"{Latencies.Ms(l.Percentile(50))} / {Latencies.Ms(l.Percentile(99))} / {Latencies.Ms(l.Max)}", "p99 ≤ 20 ms", l.Percentile(99) <= 20);
        foreach (var (kind, l) in sequential)
            result.Add($"one client, sequential: {kind} p50 / p99", $"{Latencies.Ms(l.Percentile(50))} / {Latencies.Ms(l.Percentile(99))}",
                // Issue 6: exact-key hits within 2 ms. A phone hit is answered by its key alone; a request with a
                // name always runs the similar-name search too (its answer lists similar names beside an exact
                // one), which the issue holds to 20 ms with everything else.
                kind == "phone hit" ? "p99 ≤ 2 ms" : "p99 ≤ 20 ms (similar-name search included)",
                l.Percentile(99) <= (kind == "phone hit" ? 2 : 20));
        result.Add("one client, sequential: process CPU per request (server + client)", sequentialCpuText);
        foreach (var (kind, shape) in sequentialShape)
            result.Add($"one client, sequential: {kind}: allocated per request; requests a collection paused",
                $"{shape.Allocated / 1024.0 / Math.Max(1, sequential[kind].Count):0} KB; {shape.WithCollection} of {sequential[kind].Count}");
        result.Add("one client, sequential: garbage collections meanwhile", sequentialGc);
        result.Add("one client, sequential: the JIT before it", sequentialWarmUp);
        result.Add("the floor of a phone hit: one prepared statement, raw provider, p50 / p99", $"{Latencies.Ms(floor.Percentile(50))} / {Latencies.Ms(floor.Percentile(99))}");
        foreach (var (kind, l) in inProcess)
            result.Add($"the use case alone, in process: {kind} p50 / p99; allocated per request", $"{Latencies.Ms(l.Percentile(50))} / {Latencies.Ms(l.Percentile(99))}; {inProcessShape[kind].Allocated / 1024.0 / Math.Max(1, l.Count):0} KB");
        result.Add("registrations, one at a time: p50 / p99", $"{Latencies.Ms(registrations.Percentile(50))} / {Latencies.Ms(registrations.Percentile(99))} ({registered} registered or waiting for review, {held} refused as taken, of {registrations.Count})");
        result.Add("answers with similar-name candidates", $"{withSimilar:N0} of {total:N0}");
        result.Add("wrong answers / non-200", $"{wrong} / {failed + openFailed}", "0", wrong + failed + openFailed == 0);
        result.Note("Name hits are spelled another way than registered (region in brackets, another form, spaces), phone hits written another way (+86, dashes, spaces); misses are new names. Where Harbor has the similar-name part (a gram index, written by the bulk load too), every request also runs it, and the answers that carried similar-name candidates are counted.");
        result.Note($"The {Clients} concurrent clients send back to back (a closed loop): they measure throughput, and their latency is that throughput's queue, not a check's answer. By Little's law {Clients} requests always in flight at about 800 a second wait about 20 ms on average, whatever the check costs. The 20 ms target is held where it means something: one client alone, and the open loop, where checks arrive at {OpenRate} a second (a 500-person team at its busiest sends a few a second) and each is timed from the moment it was due.");
        result.Note("Harbor:RateLimits:ChecksPerMinute is raised for the bench: 16 clients at full speed stand for many people, each far under the per-person limit.");
        result.Note("Each request authenticates by its bearer token (cached for 5 s), then looks the keys up in one query: the customers over the three unique indexes and the pending registrations, each with its holder's name and group.");
        result.Note("A request with a name also runs the similar-name search: one query over the gram index that keeps only the names able to reach the threshold (CandidateBound), then one read of the few that do.");
        result.Note("The floor of a phone hit: the same lookup (customers by key with holder and group, and the pending registrations) written by hand as one statement, prepared once, on one open connection of the raw ADO.NET provider, for the same phone keys one at a time: what the database and the driver alone take.");
        result.Note("The use case alone: the same requests to CheckConflicts in process, one at a time, without HTTP (what the lookup costs, apart from Kestrel, authentication and JSON).");
        result.Note("Registrations: after the checks, the 16 checkers register 12 new prospects each (after one each of warm-up), one request at a time (check, write, history, name grams); compare quick (100,000 customers) with full (1,000,000) to see whether registering slows as the registry grows.");
        result.Note("The sequential lines: one client sends 2,400 requests of its own (a third of each kind), one at a time, after the concurrent run (100 more of warm-up): latency without queueing, and the process CPU per check of one client (it includes the thread pool spinning between requests, so it reads higher than the concurrent run's).");
        return result;
    }

    private sealed record Probe(string Kind, object Body, Guid? Expected);

    /// <summary>One set of latencies per kind of request, in the order the tables list them.</summary>
    private static Dictionary<string, Latencies> ByKind() => new() { ["name hit"] = new(), ["phone hit"] = new(), ["miss"] = new() };

    /// <summary>
    /// A registry as a sales team has it: mostly published customers nobody holds, a sixth signed,
    /// protections of the current fortnight up to the slot limit; created over two years.
    /// </summary>
    public static IEnumerable<CustomerRow> Registry(DataGen data, int size, List<Salesperson> owners, List<CustomerRow>? samples)
    {
        var policy = new PolicySettings();
        var calendar = new CompanyCalendar(policy);
        var today = DateOnly.FromDateTime(HarborHost.Morning.DateTime);
        var held = new int[owners.Count];
        for (var i = 0; i < size; i++)
        {
            var random = data.Random;
            var created = HarborHost.Morning.AddMinutes(-random.Next(0, 2 * 365 * 24 * 60));
            var owner = random.Next(owners.Count);
            CustomerRow row;
            var roll = random.Next(100);
            if (roll < 10 && held[owner] < policy.SlotLimit)
            {
                held[owner]++;
                row = data.Customer("Protected", owners[owner].Id, today.AddDays(-random.Next(0, 15)), null, created, calendar, policy);
            }
            else if (roll < 27)
            {
                row = data.Customer("Signed", owners[owner].Id, null, null, created, calendar, policy);
            }
            else
            {
                row = data.Customer("InPool", null, null, calendar.PublicationOn(today.AddDays(-random.Next(1, 700))), created, calendar, policy);
            }

            if (samples is not null && i % 97 == 0)
                samples.Add(row);
            yield return row;
        }
    }
}

/// <summary>What the one-client requests of one kind allocated, and how many of them a collection paused.</summary>
internal sealed class RequestShape
{
    public long Allocated { get; set; }

    public int WithCollection { get; set; }
}
