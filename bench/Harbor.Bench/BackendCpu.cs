using System.Globalization;
using Npgsql;

namespace Harbor.Bench;

/// <summary>
/// The CPU that PostgreSQL's backends spent on the bench database during a measurement, read from
/// <c>/proc</c> (the server runs on this machine): at 2,000 requests a second on two cores, Harbor, its
/// clients and PostgreSQL share about 1 ms per request, and the process's own figure shows only the
/// first two. Backends that exit during the window are not counted (Harbor's pool keeps its own).
/// </summary>
public sealed class BackendCpu
{
    private readonly string _connectionString;
    private readonly Dictionary<int, long> _start;

    private BackendCpu(string connectionString, Dictionary<int, long> start)
    {
        _connectionString = connectionString;
        _start = start;
    }

    /// <summary>Null unless the database is PostgreSQL on this machine.</summary>
    public static async Task<BackendCpu?> StartAsync(BenchDatabase database, CancellationToken ct)
    {
        if (database.Engine != Engine.Postgres || !Directory.Exists("/proc"))
            return null;
        var ticks = await TicksAsync(database.ConnectionString, ct);
        return ticks.Count == 0 ? null : new BackendCpu(database.ConnectionString, ticks);
    }

    public async Task<string> PerRequestAsync(int requests, CancellationToken ct)
    {
        var now = await TicksAsync(_connectionString, ct);
        var ticks = now.Sum(p => p.Value - _start.GetValueOrDefault(p.Key));
        var ms = ticks * 1000.0 / 100; // USER_HZ: 100 on Linux
        return $"{ms / Math.Max(1, requests):0.00} ms CPU per request ({ms / 1000:0.00} s for {requests:N0}, {now.Count} backends)";
    }

    private static async Task<Dictionary<int, long>> TicksAsync(string connectionString, CancellationToken ct)
    {
        var pids = new List<int>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                pids.Add(reader.GetInt32(0));
        }

        var ticks = new Dictionary<int, long>();
        foreach (var pid in pids)
        {
            try
            {
                // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
                var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", ct);
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // Gone meanwhile, or another machine's pid.
            }
        }

        return ticks;
    }
}
