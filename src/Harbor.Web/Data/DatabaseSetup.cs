using Harbor.Domain.Duplicates;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Harbor.Web.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// The provider comes from configuration, never from the machine (ADR-001). Contexts are
    /// pooled: building a context's internal services per request was a fifth of the CPU of a
    /// claim at the 10:00 rush (docs/benchmarks.md); the contexts hold no state of their own.
    /// </summary>
    public static IServiceCollection AddHarborDatabase(this IServiceCollection services, IConfiguration configuration, HarborOptions options)
    {
        switch (options.Database.Provider.Trim().ToLowerInvariant())
        {
            case "sqlite":
                var connectionString = SqliteConnectionString(options);
                services.AddDbContextPool<HarborDbContext, SqliteHarborDbContext>(o => Quiet(o.UseSqlite(connectionString)));
                break;
            case "postgres" or "postgresql":
                var pg = configuration.GetConnectionString("Harbor");
                if (string.IsNullOrWhiteSpace(pg))
                    throw new InvalidOperationException("Harbor:Database:Provider is postgres but ConnectionStrings:Harbor is not set.");
                services.AddDbContextPool<HarborDbContext, PostgresHarborDbContext>(o => Quiet(o.UseNpgsql(pg)));
                break;
            default:
                throw new InvalidOperationException($"Harbor:Database:Provider '{options.Database.Provider}' is neither 'sqlite' nor 'postgres'.");
        }

        services.AddSingleton<WriteGate>();
        return services;
    }

    /// <summary>
    /// A lost race is an expected, handled outcome (Writes re-runs the use case), not an error
    /// to log; a real failure still reaches the exception handler, which logs it.
    /// </summary>
    private static DbContextOptionsBuilder Quiet(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.OptimisticConcurrencyException, LogLevel.Debug)));

    public static string SqliteConnectionString(HarborOptions options)
    {
        // The contract: a relative data folder is under the working directory.
        var directory = Path.GetFullPath(options.DataDirectory, Environment.CurrentDirectory);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "harbor.db"),
            Pooling = true,
            // Our own writers queue in the process (WriteGate); this only covers another process.
            DefaultTimeout = 10,
        }.ToString();
    }

    /// <summary>Applies migrations and sets the engine up; runs once at start, before any request.</summary>
    public static async Task MigrateAsync(HarborDbContext db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.SerialisesWrites)
        {
            // WAL lets readers go on while the single writer commits; the setting stays in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        await IndexNamesAsync(db, ct);
    }

    /// <summary>
    /// Customers written before the similar-name index existed (or by a bulk load) get their grams
    /// here; new customers are indexed as they are saved. Walks by id, so names with no gram (only
    /// a form, such as 有限公司) do not make it loop.
    /// </summary>
    public static async Task<int> IndexNamesAsync(HarborDbContext db, CancellationToken ct)
    {
        var indexed = 0;
        var after = Guid.Empty;
        while (true)
        {
            var batch = await db.Customers.AsNoTracking()
                .Where(c => c.Id.CompareTo(after) > 0 && !db.CustomerNameGrams.Any(g => g.CustomerId == c.Id))
                .OrderBy(c => c.Id).Take(2000).Select(c => new { c.Id, c.Name }).ToListAsync(ct);
            if (batch.Count == 0)
                return indexed;
            foreach (var customer in batch)
                foreach (var gram in NameGrams.Of(CompanyName.Normalize(customer.Name)).Where(g => g.Length <= CustomerNameGram.MaxGramLength))
                    db.CustomerNameGrams.Add(new CustomerNameGram { Gram = gram, CustomerId = customer.Id });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            indexed += batch.Count;
            after = batch[^1].Id;
        }
    }
}

/// <summary>For <c>dotnet ef migrations add X --context SqliteHarborDbContext -o Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHarborDbContext>
{
    public SqliteHarborDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHarborDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>For <c>dotnet ef migrations add X --context PostgresHarborDbContext -o Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHarborDbContext>
{
    public PostgresHarborDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHarborDbContext>().UseNpgsql("Host=localhost;Database=harbor_design").Options);
}
