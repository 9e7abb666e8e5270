using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Harbor.Bench;

/// <summary>
/// The PostgreSQL server the bench creates its databases on: HARBOR_BENCH_POSTGRES if set, or a
/// private cluster started as shared/STACK.md shows (initdb into a temporary folder, UTF-8,
/// C.UTF-8, a free port) and stopped at the end.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Variable = "HARBOR_BENCH_POSTGRES";
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string? _directory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string connectionString, string? directory, bool asPostgresUser)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>A connection string to a server where the bench may create databases.</summary>
    public string ConnectionString { get; }

    public bool IsPrivate => _directory is not null;

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
            return new PostgresServer(given, null, false);
        if (!File.Exists(Path.Combine(Bin, "initdb")))
            throw new InvalidOperationException($"Set {Variable}, or install PostgreSQL 15 (apt-get install -y postgresql postgresql-contrib).");

        var directory = Directory.CreateTempSubdirectory("harbor-bench-pg-").FullName;
        var asPostgres = Environment.UserName == "root";
        var port = FreePort();
        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", directory, asPostgres);
        try
        {
            if (asPostgres)
                await RunAsync("chown", $"postgres:postgres {directory}");
            await server.AsServerUserAsync($"{Bin}/initdb -D {directory}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
            // max_connections above the default: 500 salespeople share Harbor's pool (100) and the
            // floor's; fsync stays on, as in production. shared_buffers sized as PostgreSQL's manual
            // advises for a dedicated server (a quarter of memory; 2 GB of this machine's 24): the
            // default 128 MB holds a fraction of a 1,000,000-customer registry's indexes, and the
            // conflict check then read 6–10 pages a request through the kernel (docs/benchmarks.md).
            await server.AsServerUserAsync(
                $"{Bin}/pg_ctl -D {directory}/data -l {directory}/log -w -o '-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c shared_buffers=2GB' start");
            Console.WriteLine($"PostgreSQL: a private cluster on 127.0.0.1:{port} ({directory})");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<string> VersionAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version'), current_setting('shared_buffers')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (version, buffers) = (reader.GetString(0), reader.GetString(1));
        return $"PostgreSQL {version.Split(' ')[0]} ({(IsPrivate ? "private cluster, fsync on, max_connections 300" : Variable)}, shared_buffers {buffers})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
            return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsServerUserAsync($"{Bin}/pg_ctl -D {_directory}/data -m fast -w stop");
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"Stopping the private cluster: {e.Message}");
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task AsServerUserAsync(string command) =>
        _asPostgresUser ? RunAsync("su", $"postgres -c \"{command}\"") : RunAsync("/bin/sh", $"-c \"{command}\"");

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
