using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace Harbor.Bench;

/// <summary>Profiling aid: one client, sequential requests, to separate per-request cost from queueing.</summary>
public static class Probe
{
    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var result = new ScenarioResult("probe", engine, true);
        await using var database = await BenchDatabase.CreateAsync(engine, server, "probe");
        // One client sends thousands of checks a minute: the per-person limit would answer them 429.
        await using var host = HarborHost.Start(database, kestrel: true,
            new Dictionary<string, string?> { ["Harbor:RateLimits:ChecksPerMinute"] = "1000000" });
        var group = await Loader.GroupAsync(host, "探针组");
        var people = await Loader.SalespeopleAsync(host, 2, group, "probe");
        // A small registry for the clerk's pages (issue 11, scenario 5): the per-request cost of the
        // pipeline and of EF, not of reading 100,000 rows (the page scenario measures that).
        var clerk = (await Loader.SalespeopleAsync(host, 1, group, "probeclerk", Harbor.Domain.Access.Role.Clerk))[0];
        var owners = await Loader.SalespeopleAsync(host, 10, group, "probeowner");
        var samples = new List<CustomerRow>();
        await Loader.CustomersAsync(database, Check.Registry(new DataGen(options.Seed), 5_000, owners, samples));
        var phoneHit = samples.First(s => s.PhoneKey is not null).PhoneKey!;
        await database.AnalyzeAsync();
        using var http = host.NewHttpClient();
        // Each timing reports its own line (label: p50 / p99 and CPU per request) when it is done; a warm-up reports none.
        async Task Time(string? label, Func<HttpRequestMessage> make, int n = 1100, Action<string>? read = null)
        {
            var l = new Latencies();
            var cpu = CpuMeter.StartNew();
            for (var i = 0; i < n; i++)
            {
                if (i == 100)
                    cpu = CpuMeter.StartNew();
                using var request = make();
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                read?.Invoke(body);
                if (i >= 100)
                    l.Add(sent, Stopwatch.GetTimestamp());
            }

            if (label is not null)
                result.Add($"{label} p50/p99, CPU",
                    $"{Latencies.Ms(l.Percentile(50))} / {Latencies.Ms(l.Percentile(99))}, {cpu.Elapsed.TotalMilliseconds / (n - 100):0.000} ms CPU per request");
        }

        var token = people[0].Token;
        await Time("GET /api/me/customers", () => HarborHost.Request(HttpMethod.Get, "/api/me/customers", token));
        await Time("GET /health", () => new HttpRequestMessage(HttpMethod.Get, "/health"));
        await Time("POST check, JsonContent (chunked)", () => HarborHost.Request(HttpMethod.Post, "/api/customers/check", token, JsonContent.Create(new { name = "北京星辰科技有限公司" })));
        await Time("POST check, StringContent (Content-Length)", () => HarborHost.Request(HttpMethod.Post, "/api/customers/check", token,
            new StringContent("{\"name\":\"北京星辰科技有限公司\"}", Encoding.UTF8, "application/json")));
        // An exact phone hit (issue 6's 2 ms): HARBOR_BENCH_PROBE_PHONE_HITS sets how many, long enough to profile.
        var phoneHits = int.TryParse(Environment.GetEnvironmentVariable("HARBOR_BENCH_PROBE_PHONE_HITS"), out var n) ? n : 1100;
        HttpRequestMessage PhoneHit() => HarborHost.Request(HttpMethod.Post, "/api/customers/check", token, HarborHost.Json(new { phone = phoneHit }));
        // Profiled by its own: settled code (JitSettle), announced so a profiler can attach.
        await Time(null, PhoneHit, 500);
        await JitSettle.WaitAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), ct);
        Console.WriteLine($"probe: {phoneHits} phone hits starting");
        await Time("POST check, exact phone hit", PhoneHit, phoneHits);
        await Time("GET /api/registry page 3 of 5,000 (clerk, 50 rows)", () => HarborHost.Request(HttpMethod.Get, "/api/registry?page=3&pageSize=50&sort=dueOn", clerk.Token));
        string? cursor = null;
        var walked = 0;
        await Time("GET /api/registry by cursor (clerk, 50 rows, walks of 20 pages)", () => HarborHost.Request(HttpMethod.Get,
            cursor is null ? "/api/registry?pageSize=50&sort=dueOn" : $"/api/registry?pageSize=50&sort=dueOn&cursor={cursor}", clerk.Token),
            read: body =>
            {
                using var page = System.Text.Json.JsonDocument.Parse(body);
                cursor = ++walked % 20 != 0 && page.RootElement.TryGetProperty("next", out var next) ? next.GetString() : null;
            });
        return result;
    }
}
