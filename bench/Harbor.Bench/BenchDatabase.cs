using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Harbor.Bench;

/// <summary>
/// One fresh database for one scenario: a temporary folder with Harbor's SQLite file, or a new
/// database on the PostgreSQL server. Dropped at the end.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;

    private BenchDatabase(Engine engine, string? dataDirectory, string? postgresDatabase, PostgresServer? server, string connectionString)
    {
        Engine = engine;
        DataDirectory = dataDirectory;
        PostgresDatabase = postgresDatabase;
        _server = server;
        ConnectionString = connectionString;
    }

    public Engine Engine { get; }

    /// <summary>Harbor's <c>Harbor:DataDirectory</c> on SQLite.</summary>
    public string? DataDirectory { get; }

    public string? PostgresDatabase { get; }

    /// <summary>The raw ADO.NET connection string (Microsoft.Data.Sqlite or Npgsql).</summary>
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(Engine engine, PostgresServer? server, string name)
    {
        if (engine == Engine.Sqlite)
        {
            // On disk, not in memory: fsync is part of what the floor and Harbor pay.
            var dir = Path.Combine(Path.GetTempPath(), "harbor-bench", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
            Directory.CreateDirectory(dir);
            return new BenchDatabase(engine, dir, null, null, SqliteConnectionString(dir));
        }

        ArgumentNullException.ThrowIfNull(server);
        var database = $"harbor_bench_{name}_{Guid.NewGuid():N}"[..(name.Length + 21)];
        await ExecuteOnServerAsync(server, $"CREATE DATABASE {database} TEMPLATE template0 ENCODING 'UTF8'");
        return new BenchDatabase(engine, null, database, server, PostgresConnectionString(server, database));
    }

    /// <summary>A copy of this database, data and all: the floor runs on the same rows as Harbor.</summary>
    public async Task<BenchDatabase> CopyAsync(string name)
    {
        if (Engine == Engine.Sqlite)
        {
            var copy = await CreateAsync(Engine.Sqlite, null, name);
            await using (var connection = new SqliteConnection(ConnectionString))
            {
                await connection.OpenAsync();
                await using var vacuum = connection.CreateCommand();
                vacuum.CommandText = $"VACUUM INTO '{Path.Combine(copy.DataDirectory!, "harbor.db")}'";
                await vacuum.ExecuteNonQueryAsync();
            }

            await using (var connection = new SqliteConnection(copy.ConnectionString))
            {
                await connection.OpenAsync();
                await using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode=WAL";
                await wal.ExecuteNonQueryAsync();
            }

            return copy;
        }

        var database = $"harbor_bench_{name}_{Guid.NewGuid():N}"[..(name.Length + 21)];
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync(_server!, $"CREATE DATABASE {database} TEMPLATE {PostgresDatabase}");
        return new BenchDatabase(Engine.Postgres, null, database, _server, PostgresConnectionString(_server!, database));
    }

    /// <summary>Harbor's configuration for this database.</summary>
    public Dictionary<string, string?> HarborSettings() => new()
    {
        ["Harbor:Database:Provider"] = Engine == Engine.Sqlite ? "sqlite" : "postgres",
        ["Harbor:DataDirectory"] = DataDirectory,
        ["ConnectionStrings:Harbor"] = Engine == Engine.Postgres ? ConnectionString : null,
    };

    public DbConnection NewConnection() => Engine == Engine.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

    public async Task<DbConnection> OpenAsync()
    {
        var connection = NewConnection();
        await connection.OpenAsync();
        return connection;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Fresh statistics after a bulk load, as a DBA would run (autovacuum would, later).</summary>
    public Task AnalyzeAsync() => ExecuteAsync(Engine == Engine.Sqlite ? "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" : "VACUUM ANALYZE");

    public async ValueTask DisposeAsync()
    {
        if (DataDirectory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        if (PostgresDatabase is not null && _server is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteOnServerAsync(_server, $"DROP DATABASE IF EXISTS {PostgresDatabase} WITH (FORCE)");
        }
    }

    private static string SqliteConnectionString(string dir) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dir, "harbor.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private static string PostgresConnectionString(PostgresServer server, string database) =>
        new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, CommandTimeout = 600 }.ToString();

    private static async Task ExecuteOnServerAsync(PostgresServer server, string sql)
    {
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
