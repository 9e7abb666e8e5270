using System.Diagnostics;
using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;

namespace Harbor.Bench;

/// <summary>
/// Pages (issue 11, scenario 5), in a registry of 100,000 customers, by 16 concurrent clients for a
/// fixed time each: the salesperson's list (<c>GET /api/me/customers</c>, 15 customers each) and,
/// where Harbor has it, a 50-row page of the clerk's master list (<c>GET /api/registry</c>).
/// </summary>
public static class Page
{
    private const int Clients = 16;

    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var size = 100_000;
        // HARBOR_BENCH_PAGE_SECONDS stretches each measurement, long enough to attach dotnet-trace
        // to the pid that MeasureAsync prints as it starts (the load before it would swamp a profile).
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("HARBOR_BENCH_PAGE_SECONDS"), out var seconds) ? seconds : options.Quick ? 6 : 20);
        var result = new ScenarioResult("page", engine, options.Quick);
        await using var database = await BenchDatabase.CreateAsync(engine, server, "page");
        await using var host = HarborHost.Start(database, kestrel: true);
        var group = await Loader.GroupAsync(host, "华北三组");
        var owners = await Loader.SalespeopleAsync(host, size / 500, group, "owner");
        var readers = await Loader.SalespeopleAsync(host, Clients, group, "reader");
        var clerks = await Loader.SalespeopleAsync(host, Clients, group, "clerk", Role.Clerk);
        var data = new DataGen(options.Seed);
        var policy = new PolicySettings();
        var calendar = new CompanyCalendar(policy);
        var today = DateOnly.FromDateTime(HarborHost.Morning.DateTime);
        var sheets = readers.SelectMany(r => Enumerable.Range(0, policy.SlotLimit)
            .Select(i => data.Customer("Protected", r.Id, today.AddDays(-(i % 15)), null, HarborHost.Morning.AddDays(-i), calendar, policy)));
        await Loader.CustomersAsync(database, Check.Registry(data, size - Clients * policy.SlotLimit, owners, null).Concat(sheets));
        await database.AnalyzeAsync();
        using var http = host.NewHttpClient();
        result.Add("registry", $"{size:N0} customers; {Clients} salespeople with {policy.SlotLimit} customers each");

        var sheet = await MeasureAsync(database, http, readers, (_, _) => "/api/me/customers", duration,
            body => JsonDocument.Parse(body).RootElement.GetProperty("slotsUsed").GetInt32() == policy.SlotLimit, ct);
        result.Add("GET /api/me/customers", $"{sheet.Count:N0} requests in {duration.TotalSeconds:0} s by {Clients} clients (after the warm-up)");
        result.Add("throughput", $"{sheet.PerSecond:N0} req/s", "≥ 2,000 req/s", sheet.PerSecond >= 2000);
        result.Add("latency p50 / p99 / max", $"{Latencies.Ms(sheet.Latencies.Percentile(50))} / {Latencies.Ms(sheet.Latencies.Percentile(99))} / {Latencies.Ms(sheet.Latencies.Max)}");
        result.Add("process CPU per request (server + clients, spin-waits included)", sheet.Cpu);
        if (sheet.ServerCpu is { } sheetServer)
            result.Add("PostgreSQL backends' CPU per request", sheetServer);
        result.Add("warm-up", sheet.WarmUp);
        result.Add("wrong answers", sheet.Wrong.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", sheet.Wrong == 0);

        using (var probe = HarborHost.Request(HttpMethod.Get, "/api/registry?page=1&pageSize=50", clerks[0].Token))
        using (var response = await http.SendAsync(probe, ct))
        {
            if ((int)response.StatusCode == 404)
            {
                result.Note("The clerk's master list (GET /api/registry) is not in this commit of Harbor: not measured.");
                return result;
            }
        }

        // Pages spread over the whole registry, sorted by due date, as a clerk leafs through it.
        var registry = await MeasureAsync(database, http, clerks, (client, i) => $"/api/registry?page={1 + (client * 37 + i * 13) % 100}&pageSize=50&sort=dueOn", duration,
            body => JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength() == 50, ct);
        result.Add("GET /api/registry (clerk, 50 rows)", $"{registry.Count:N0} requests in {duration.TotalSeconds:0} s by {Clients} clients (after the warm-up), pages 1–100 sorted by due date");
        result.Add("registry throughput", $"{registry.PerSecond:N0} req/s", "≥ 2,000 req/s", registry.PerSecond >= 2000);
        result.Add("registry latency p50 / p99 / max", $"{Latencies.Ms(registry.Latencies.Percentile(50))} / {Latencies.Ms(registry.Latencies.Percentile(99))} / {Latencies.Ms(registry.Latencies.Max)}");
        result.Add("process CPU per request (registry pages)", registry.Cpu);
        if (registry.ServerCpu is { } registryServer)
            result.Add("PostgreSQL backends' CPU per request (registry pages)", registryServer);
        result.Add("registry warm-up", registry.WarmUp);
        result.Add("registry wrong answers", registry.Wrong.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", registry.Wrong == 0);

        // The same 100 pages walked as an API client does, by the cursor of each previous page
        // (keyset paging; the total is counted once per walk), where Harbor has it.
        var cursors = new string?[Clients];
        var pages = new int[Clients];
        var walk = await MeasureAsync(database, http, clerks,
            (client, _) => cursors[client] is { } cursor ? $"/api/registry?pageSize=50&sort=dueOn&cursor={cursor}" : "/api/registry?pageSize=50&sort=dueOn",
            duration, body => JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength() == 50, ct,
            (client, body) =>
            {
                using var page = JsonDocument.Parse(body);
                cursors[client] = ++pages[client] % 100 != 0 && page.RootElement.TryGetProperty("next", out var next) ? next.GetString() : null;
            });
        if (pages.Sum() > Clients && cursors.All(c => c is null))
        {
            result.Note("GET /api/registry has no cursor in this commit of Harbor: the cursor walk was not measured.");
            return result;
        }

        result.Add("GET /api/registry by cursor (clerk, 50 rows)", $"{walk.Count:N0} requests in {duration.TotalSeconds:0} s by {Clients} clients (after the warm-up), each walking pages 1–100 by the previous page's cursor");
        result.Add("cursor throughput", $"{walk.PerSecond:N0} req/s", "≥ 2,000 req/s", walk.PerSecond >= 2000);
        result.Add("cursor latency p50 / p99 / max", $"{Latencies.Ms(walk.Latencies.Percentile(50))} / {Latencies.Ms(walk.Latencies.Percentile(99))} / {Latencies.Ms(walk.Latencies.Max)}");
        result.Add("process CPU per request (cursor walk)", walk.Cpu);
        if (walk.ServerCpu is { } walkServer)
            result.Add("PostgreSQL backends' CPU per request (cursor walk)", walkServer);
        result.Add("cursor warm-up", walk.WarmUp);
        result.Add("cursor wrong answers", walk.Wrong.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", walk.Wrong == 0);
        return result;
    }

    private sealed record Measured(int Count, double PerSecond, Latencies Latencies, string Cpu, int Wrong, string WarmUp, string? ServerCpu);

    private static async Task<Measured> MeasureAsync(BenchDatabase database, HttpClient http, List<Salesperson> people, Func<int, int, string> path, TimeSpan duration,
        Func<string, bool> isRight, CancellationToken ct, Action<int, string>? read = null)
    {
        Console.WriteLine($"page: measuring {path(0, 0)} (pid {Environment.ProcessId}, {duration.TotalSeconds:0} s once the JIT has settled)");
        var latencies = new Latencies();
        var wrong = 0;
        var counted = 0;
        var all = 0;
        // The load runs from the start; the measured window opens once the JIT has settled (JitSettle).
        long measureFrom = long.MaxValue, stop = long.MaxValue;
        var cpu = default(CpuMeter);
        var clients = Task.WhenAll(people.Select((person, client) => Task.Run(async () =>
        {
            for (var i = 0; Stopwatch.GetTimestamp() < Volatile.Read(ref stop); i++)
            {
                using var request = HarborHost.Request(HttpMethod.Get, path(client, i), person.Token);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var done = Stopwatch.GetTimestamp();
                read?.Invoke(client, body);
                if (sent >= Volatile.Read(ref measureFrom))
                    Interlocked.Increment(ref all);
                // Every tenth answer is read through, so checking does not become the load.
                if ((int)response.StatusCode != 200 || (i % 10 == 0 && !isRight(body)))
                    Interlocked.Increment(ref wrong);
                if (sent >= Volatile.Read(ref measureFrom) && done <= Volatile.Read(ref stop))
                {
                    latencies.Add(sent, done);
                    Interlocked.Increment(ref counted);
                }
            }
        }, ct)));
        var warmUp = await JitSettle.WaitAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), ct);
        var server = await BackendCpu.StartAsync(database, ct);
        cpu = CpuMeter.StartNew();
        var from = Stopwatch.GetTimestamp();
        Volatile.Write(ref stop, from + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref measureFrom, from);
        await clients;
        var processCpu = cpu.PerRequest(all);
        return new Measured(counted, counted / duration.TotalSeconds, latencies, processCpu, wrong, warmUp,
            server is null ? null : await server.PerRequestAsync(all, ct));
    }
}
