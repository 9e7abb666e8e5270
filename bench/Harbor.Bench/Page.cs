using System.Diagnostics;
using System.Text.Json;
using Harbor.Domain.Policy;

namespace Harbor.Bench;

/// <summary>
/// A page (issue 11, scenario 5): <c>GET /api/me/customers</c> for salespeople holding 15 customers
/// each, in a registry of 100,000, by 16 concurrent clients for a fixed time.
/// </summary>
public static class Page
{
    private const int Clients = 16;

    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var size = 100_000;
        var duration = TimeSpan.FromSeconds(options.Quick ? 6 : 20);
        var result = new ScenarioResult("page", engine, options.Quick);
        await using var database = await BenchDatabase.CreateAsync(engine, server, "page");
        await using var host = HarborHost.Start(database, kestrel: true);
        var group = await Loader.GroupAsync(host, "华北三组");
        var owners = await Loader.SalespeopleAsync(host, size / 500, group, "owner");
        var readers = await Loader.SalespeopleAsync(host, Clients, group, "reader");
        var data = new DataGen(options.Seed);
        var policy = new PolicySettings();
        var calendar = new CompanyCalendar(policy);
        var today = DateOnly.FromDateTime(HarborHost.Morning.DateTime);
        var sheets = readers.SelectMany(r => Enumerable.Range(0, policy.SlotLimit)
            .Select(i => data.Customer("Protected", r.Id, today.AddDays(-(i % 15)), null, HarborHost.Morning.AddDays(-i), calendar, policy)));
        await Loader.CustomersAsync(database, Check.Registry(data, size - Clients * policy.SlotLimit, owners, null).Concat(sheets));
        await database.AnalyzeAsync();

        using var http = host.NewHttpClient();
        var latencies = new Latencies();
        var wrong = 0;
        var stop = Stopwatch.GetTimestamp() + (long)((duration + TimeSpan.FromSeconds(2)).TotalSeconds * Stopwatch.Frequency);
        var measureFrom = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        var counted = 0;
        var all = 0;
        var cpu = CpuMeter.StartNew();
        await Task.WhenAll(readers.Select(reader => Task.Run(async () =>
        {
            var checkedOnce = false;
            while (Stopwatch.GetTimestamp() < stop)
            {
                using var request = HarborHost.Request(HttpMethod.Get, "/api/me/customers", reader.Token);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var done = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref all);
                if (!checkedOnce || (int)response.StatusCode != 200)
                {
                    checkedOnce = true;
                    if ((int)response.StatusCode != 200 || JsonDocument.Parse(body).RootElement.GetProperty("slotsUsed").GetInt32() != policy.SlotLimit)
                        Interlocked.Increment(ref wrong);
                }

                if (sent >= measureFrom && done <= stop)
                {
                    latencies.Add(sent, done);
                    Interlocked.Increment(ref counted);
                }
            }
        }, ct)));

        var perSecond = counted / duration.TotalSeconds;
        var cpuText = cpu.PerRequest(all);
        result.Add("registry", $"{size:N0} customers; {Clients} salespeople with {policy.SlotLimit} customers each");
        result.Add("GET /api/me/customers", $"{counted:N0} requests in {duration.TotalSeconds:0} s by {Clients} clients (after 2 s of warm-up)");
        result.Add("throughput", $"{perSecond:N0} req/s", "≥ 2,000 req/s", perSecond >= 2000);
        result.Add("latency p50 / p99 / max", $"{Latencies.Ms(latencies.Percentile(50))} / {Latencies.Ms(latencies.Percentile(99))} / {Latencies.Ms(latencies.Max)}");
        result.Add("process CPU per request (server + clients, spin-waits included)", cpuText);
        result.Add("wrong answers", wrong.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", wrong == 0);
        result.Note("The clerk's 50-row page of the master list is not on main yet: not measured.");
        return result;
    }
}
