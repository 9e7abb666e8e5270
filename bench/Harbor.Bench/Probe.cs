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
        await using var host = HarborHost.Start(database, kestrel: true);
        var group = await Loader.GroupAsync(host, "探针组");
        var people = await Loader.SalespeopleAsync(host, 2, group, "probe");
        using var http = host.NewHttpClient();
        var cpuPerRequest = new List<double>();
        async Task<Latencies> Time(Func<HttpRequestMessage> make, int n = 1100)
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
                await response.Content.ReadAsStringAsync(ct);
                if (i >= 100)
                    l.Add(sent, Stopwatch.GetTimestamp());
            }

            cpuPerRequest.Add(cpu.Elapsed.TotalMilliseconds / (n - 100));
            return l;
        }

        var token = people[0].Token;
        var get = await Time(() => HarborHost.Request(HttpMethod.Get, "/api/me/customers", token));
        var health = await Time(() => new HttpRequestMessage(HttpMethod.Get, "/health"));
        var jsonContent = await Time(() => HarborHost.Request(HttpMethod.Post, "/api/customers/check", token, JsonContent.Create(new { name = "北京星辰科技有限公司" })));
        var stringContent = await Time(() => HarborHost.Request(HttpMethod.Post, "/api/customers/check", token,
            new StringContent("{\"name\":\"北京星辰科技有限公司\"}", Encoding.UTF8, "application/json")));
        result.Add("GET /api/me/customers p50/p99, CPU", $"{Latencies.Ms(get.Percentile(50))} / {Latencies.Ms(get.Percentile(99))}, {cpuPerRequest[0]:0.000} ms CPU per request");
        result.Add("GET /health p50/p99, CPU", $"{Latencies.Ms(health.Percentile(50))} / {Latencies.Ms(health.Percentile(99))}, {cpuPerRequest[1]:0.000} ms CPU per request");
        result.Add("POST check, JsonContent (chunked) p50/p99, CPU", $"{Latencies.Ms(jsonContent.Percentile(50))} / {Latencies.Ms(jsonContent.Percentile(99))}, {cpuPerRequest[2]:0.000} ms CPU per request");
        result.Add("POST check, StringContent (Content-Length) p50/p99, CPU", $"{Latencies.Ms(stringContent.Percentile(50))} / {Latencies.Ms(stringContent.Percentile(99))}, {cpuPerRequest[3]:0.000} ms CPU per request");
        return result;
    }
}
