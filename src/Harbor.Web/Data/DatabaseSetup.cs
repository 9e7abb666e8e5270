using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Features.Customers;
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
                var setup = new SqliteConnectionSetup(options.Database.SqliteMemoryMapMiB);
                services.AddDbContextPool<HarborDbContext, SqliteHarborDbContext>(o => Quiet(o.UseSqlite(connectionString)).AddInterceptors(setup));
                // Made by a factory so that the container disposes it: the last group commits, the writer's connection closes.
                services.AddSingleton(provider => new WriteGate(connectionString,
                    () => new SqliteHarborDbContext(provider.GetRequiredService<DbContextOptions<SqliteHarborDbContext>>())));
                break;
            case "postgres" or "postgresql":
                var pg = configuration.GetConnectionString("Harbor");
                if (string.IsNullOrWhiteSpace(pg))
                    throw new InvalidOperationException("Harbor:Database:Provider is postgres but ConnectionStrings:Harbor is not set.");
                var postgres = PostgresConnectionString(pg);
                services.AddDbContextPool<HarborDbContext, PostgresHarborDbContext>(o => Quiet(o.UseNpgsql(postgres)));
                services.AddSingleton<WriteGate>();
                break;
            default:
                throw new InvalidOperationException($"Harbor:Database:Provider '{options.Database.Provider}' is neither 'sqlite' nor 'postgres'.");
        }

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

    /// <summary>Statements prepared automatically unless the connection string says otherwise.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// Two defaults for a connection string that does not set them itself (ADR-011); an admin's own value wins.
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare</c>: the same few statements run thousands of times a minute (the check, the
    /// sheet, the claim); PostgreSQL plans each one anew unless it is prepared, and planning a lookup with its
    /// joins costs more than running it. Npgsql prepares a statement once it has run five times on a
    /// connection, keeps it across the pool's reuse and replans it after a schema change.</item>
    /// <item><c>No Reset On Close</c>: otherwise every return of a connection to the pool sends seven
    /// statements that undo session state (<c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL;
    /// UNLISTEN *; …</c>) ahead of the next command: 0.13 ms of the server's time, more than the check's own
    /// lookup, on every request. Harbor keeps no session state: its settings are transaction-local, it
    /// listens to nothing, holds no cursor or temporary table across a request, and its one session lock
    /// (the start's turn) is released by name.</item>
    /// </list>
    /// </summary>
    public static string PostgresConnectionString(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Sets(string keyword) =>
            given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(keyword, StringComparison.OrdinalIgnoreCase));
        var built = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets("MaxAutoPrepare"))
            built.MaxAutoPrepare = MaxAutoPrepare;
        if (!Sets("NoResetOnClose"))
            built.NoResetOnClose = true;
        return built.ConnectionString;
    }

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
    public static async Task MigrateAsync(HarborDbContext db, CancellationToken ct, TimeProvider? clock = null)
    {
        await db.Database.MigrateAsync(ct);
        if (db.SerialisesWrites)
        {
            // WAL lets readers go on while the single writer commits; the setting stays in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        await RekeyAsync(db, clock ?? TimeProvider.System, ct);
        await IndexNamesAsync(db, ct);
    }

    public const int RekeyBatchSize = 500;

    /// <summary>"Harbor" in ASCII: the PostgreSQL advisory lock the start-up work takes.</summary>
    public const long StartupLockKey = 0x486172626F72;

    /// <summary>
    /// Instances starting together on one PostgreSQL database take turns at the start-up work on the registry
    /// (re-keying, indexing names): two walking it at once would both write the version's audit line, and their
    /// gram inserts and key moves would meet in the unique indexes and stop a start. The second waits for the
    /// first's session lock, then finds the work done. SQLite is one process per file (ADR-001): no lock.
    /// </summary>
    private static async Task<IAsyncDisposable> StartupTurnAsync(HarborDbContext db, CancellationToken ct)
    {
        if (db.SerialisesWrites)
            return NoTurn.Instance;
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({StartupLockKey})", ct);
        return new PostgresTurn(db);
    }

    private sealed class NoTurn : IAsyncDisposable
    {
        public static readonly NoTurn Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class PostgresTurn(HarborDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({StartupLockKey})");
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Stored keys and name grams are only as good as the normalisers that wrote them. When the version stored
    /// with the registry is not <see cref="DuplicateKeys.Version"/>, every customer and pending registration is
    /// re-keyed, in batches of <see cref="RekeyBatchSize"/> (one transaction each, walking by id, so a stop
    /// half-way resumes from the start and finds the done rows unchanged), and the version is stored last.
    /// A new key another customer already holds is not written (the unique index forbids it and the two are
    /// probably one company): the customer keeps its old key and the audit trail gets a
    /// <c>rekey-collision</c> line naming both, for the clerk to merge them. Returns the rows whose keys changed.
    /// </summary>
    public static async Task<int> RekeyAsync(HarborDbContext db, TimeProvider clock, CancellationToken ct)
    {
        await using var turn = await StartupTurnAsync(db, ct);
        var now = clock.GetUtcNow();
        var stored = await db.RegistrySettings.AsNoTracking().Where(r => r.Name == RegistrySetting.KeysVersion).Select(r => r.Value).FirstOrDefaultAsync(ct);
        if (stored == DuplicateKeys.Version)
            return 0;

        var changed = 0;
        var deferred = new List<Guid>();
        var after = Guid.Empty;
        while (true)
        {
            var ids = await db.Customers.AsNoTracking().Where(c => c.Id.CompareTo(after) > 0)
                .OrderBy(c => c.Id).Take(RekeyBatchSize).Select(c => c.Id).ToListAsync(ct);
            if (ids.Count == 0)
                break;
            changed += await RekeyCustomersAsync(db, ids, deferred, lastPass: false, now, ct);
            after = ids[^1];
        }

        // A key taken by a row that itself moved on later in the walk is free now.
        if (deferred.Count > 0)
            changed += await RekeyCustomersAsync(db, deferred, [], lastPass: true, now, ct);

        changed += await RekeyReviewsAsync(db, ct);

        var setting = await db.RegistrySettings.FirstOrDefaultAsync(r => r.Name == RegistrySetting.KeysVersion, ct);
        if (setting is null)
            db.RegistrySettings.Add(new RegistrySetting { Name = RegistrySetting.KeysVersion, Value = DuplicateKeys.Version });
        else
            setting.Value = DuplicateKeys.Version;
        db.Audit(now, null, "keys-rekeyed", null,
            $"{stored ?? "(none)"} -> {DuplicateKeys.Version}: {changed} rows changed");
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return changed;
    }

    private static async Task<int> RekeyCustomersAsync(HarborDbContext db, List<Guid> ids, List<Guid> deferred, bool lastPass, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.Customers.Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
        var changed = 0;
        foreach (var customer in batch)
        {
            if (FreshKeys(customer.Name, customer.Phone, customer.CreditCode, customer.NameKey, customer.PhoneKey, customer.CreditCodeKey) is not { } fresh)
                continue;
            var (name, phone, code) = fresh;
            var newName = name != customer.NameKey ? name : null;
            var newPhone = phone != customer.PhoneKey ? phone : null;
            var newCode = code != customer.CreditCodeKey ? code : null;
            var holder = batch.FirstOrDefault(o => o != customer && Holds(o.NameKey, o.PhoneKey, o.CreditCodeKey, newName, newPhone, newCode))?.Id
                ?? await db.Customers.AsNoTracking()
                    .Where(o => o.Id != customer.Id && ((newName != null && o.NameKey == newName) || (newPhone != null && o.PhoneKey == newPhone)
                        || (newCode != null && o.CreditCodeKey == newCode)))
                    .Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
            if (holder is { } other)
            {
                if (!lastPass)
                {
                    deferred.Add(customer.Id);
                    continue;
                }

                db.Audit(now, null, "rekey-collision", customer.Id,
                    $"{customer.Name}: its new keys are held by customer {other}; probably one company, for the clerk to merge");
                continue;
            }

            customer.Rekey(name, phone, code);
            changed++;
        }

        // The grams follow the normaliser too.
        await db.CustomerNameGrams.Where(g => ids.Contains(g.CustomerId)).ExecuteDeleteAsync(ct);
        foreach (var customer in batch)
            foreach (var gram in NameGrams.Of(CompanyName.Normalize(customer.Name)).Where(g => g.Length <= CustomerNameGram.MaxGramLength))
                db.CustomerNameGrams.Add(new CustomerNameGram { Gram = gram, CustomerId = customer.Id });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return changed;
    }

    private static bool Holds(string nameKey, string? phoneKey, string? codeKey, string? name, string? phone, string? code) =>
        (name != null && nameKey == name) || (phone != null && phoneKey == phone) || (code != null && codeKey == code);

    /// <summary>
    /// The keys today's normalisers give a stored row, or null when they are the keys it holds. A name that
    /// normalises to nothing now keeps its old key: a row is never left without one.
    /// </summary>
    private static (string Name, string? Phone, string? Code)? FreshKeys(
        string name, string? phone, string? creditCode, string nameKey, string? phoneKey, string? creditCodeKey)
    {
        var (newName, newPhone, newCode) = DuplicateKeys.Of(name, phone, creditCode, LibPhoneNumberParser.Keys);
        if (newName.Length == 0)
            newName = nameKey;
        return newName == nameKey && newPhone == phoneKey && newCode == creditCodeKey ? null : (newName, newPhone, newCode);
    }

    // Pending registrations reserve their keys too; they are few (the clerk's queue).
    private static async Task<int> RekeyReviewsAsync(HarborDbContext db, CancellationToken ct)
    {
        var pending = await db.Reviews.Where(r => r.Status == ReviewStatus.Pending).ToListAsync(ct);
        var changed = 0;
        foreach (var review in pending)
        {
            if (FreshKeys(review.Name, review.Phone, review.CreditCode, review.NameKey, review.PhoneKey, review.CreditCodeKey) is not { } fresh)
                continue;
            var (name, phone, code) = fresh;
            if (pending.Any(o => o != review && Holds(o.NameKey, o.PhoneKey, o.CreditCodeKey,
                    name != review.NameKey ? name : null, phone != review.PhoneKey ? phone : null, code != review.CreditCodeKey ? code : null)))
                continue;
            review.Rekey(name, phone, code);
            changed++;
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return changed;
    }

    /// <summary>
    /// Customers written before the similar-name index existed (or by a bulk load) get their grams
    /// here; new customers are indexed as they are saved. Walks by id, so names with no gram (only
    /// a form, such as 有限公司) do not make it loop.
    /// </summary>
    public static async Task<int> IndexNamesAsync(HarborDbContext db, CancellationToken ct)
    {
        await using var turn = await StartupTurnAsync(db, ct);
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
