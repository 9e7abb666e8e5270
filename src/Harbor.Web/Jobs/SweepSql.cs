using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Jobs;

/// <summary>
/// The few statements of the sweep that EF's LINQ cannot express (INSERT … SELECT, a row lock),
/// written once for both engines (ADR-010, the set-based sweep). Values go in as parameters in each engine's storage
/// form: SQLite keeps instants as UTC ticks and Guids as upper-case text (HarborDbContext), a list
/// of ids travels as a JSON array on SQLite and as a uuid[] on PostgreSQL.
/// </summary>
internal static class SweepSql
{
    /// <summary>
    /// PostgreSQL: locks the rows until the transaction ends, in id order (two sweeps cannot
    /// deadlock), so that what the sweep reads next is what it changes. SQLite's single writer
    /// already holds the whole database (BEGIN IMMEDIATE).
    /// </summary>
    public static async Task LockCustomersAsync(HarborDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (db.SerialisesWrites || ids.Count == 0)
            return;
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Customers\" WHERE \"Id\" = ANY({ids.ToArray()}) ORDER BY \"Id\" FOR UPDATE", ct);
    }

    /// <summary>
    /// Appends history lines, one per customer and kind, copied from the customer's row in the
    /// order of <paramref name="atColumn"/> then id (the order in which they fell due), a
    /// customer's kinds in the order given: the event's instant is the column
    /// <paramref name="atColumn"/>, its salesperson the current owner for a kind marked
    /// WithOwner. One statement for all the kinds (the expiry and the publication of a release
    /// used to be two passes over the same rows). Must run before the update that clears those columns.
    /// </summary>
    public static Task<int> AppendHistoryAsync(HarborDbContext db, IReadOnlyList<Guid> ids, string atColumn, CancellationToken ct,
        params (string Kind, bool WithOwner)[] kinds)
    {
        // The kinds as a constant table: (kind, names the owner, order within the customer).
        var table = string.Join(" UNION ALL ", kinds.Select((k, i) => $"SELECT {P(1 + i)} AS kind, {(k.WithOwner ? 1 : 0)} AS owner, {i} AS ord"));
        return ExecuteAsync(db, $"""
            INSERT INTO "CustomerEvents" ("CustomerId", "Kind", "At", "ActorId", "SalespersonId", "Reason")
            SELECT c."Id", k.kind, c."{atColumn}", NULL, CASE WHEN k.owner = 1 THEN c."OwnerId" END, NULL
            FROM "Customers" c CROSS JOIN ({table}) k
            WHERE c."Id" {IdIn(db, 0)}
            ORDER BY c."{atColumn}", c."Id", k.ord
            """, [Ids(db, ids), .. kinds.Select(k => (object)k.Kind)], ct);
    }

    /// <summary>
    /// <see cref="Customer.ExpireIfDue"/> on rows the caller holds and has checked: the protection
    /// is cleared and the customer is in the pool, published at the release time (10:00 of the
    /// due day), not at the sweep's minute; the version bump makes a concurrent change of the same
    /// customer lose cleanly. Hand-written rather than ExecuteUpdate: EF compiled that statement
    /// on the first batch of the day, inside the write transaction (hundreds of milliseconds of
    /// the lock on a loaded machine).
    /// </summary>
    public static Task<int> ExpireAsync(HarborDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        ExecuteAsync(db, $"""
            UPDATE "Customers"
            SET "Status" = {P(1)}, "PublishedAt" = "ReleaseAt", "OwnerId" = NULL, "StartsOn" = NULL, "DueOn" = NULL,
                "RemindAt" = NULL, "ReleaseAt" = NULL, "RemindedFor" = NULL, "Version" = "Version" + 1
            WHERE "Id" {IdIn(db, 0)}
            """, [Ids(db, ids), nameof(CustomerStatus.InPool)], ct);

    /// <summary>
    /// A customer the release took: its release time (its publication's instant), and whether a pending extension
    /// or a live cooperation is attached to it, the only customers <c>OwnershipEnded</c> has anything to do for.
    /// </summary>
    public sealed class Released
    {
        public Guid Id { get; init; }
        public DateTimeOffset ReleaseAt { get; init; }
        public bool Attached { get; init; }
    }

    /// <summary>
    /// PostgreSQL: <see cref="Customer.ExpireIfDue"/> on the next <paramref name="size"/> due protections, in
    /// one statement. It picks and locks them in due order; with <paramref name="skipLocked"/> (<c>FOR UPDATE SKIP
    /// LOCKED</c>) a row another transaction holds, a second sweep's batch or an owner's signature, is left out,
    /// so two sweeps share the work instead of queueing; without it the statement waits for such rows (the
    /// caller's last batch, so that nothing due is left behind). Either way a row changed since the statement
    /// began is read again at its latest version and left out if no longer due. It releases them as
    /// <see cref="ExpireAsync"/> does, appends their history from the locked rows' values as
    /// <see cref="AppendHistoryAsync"/> does (the kinds in order, in (release time, id) order), and adds them to
    /// their publication's count as <see cref="CountPublishedAsync"/> does, through data-modifying CTEs; it
    /// answers the customers released, each flagged if an extension or a cooperation is attached. Session 5:
    /// the pick used to be a statement of its own before the transaction, and the count and the attachments
    /// three more through EF in it: a round trip and a wait for the CPU each, under load.
    /// </summary>
    /// <remarks>
    /// Session 7: the UPDATE finds the rows the pick locked by their physical address (<c>ctid</c>, a TID scan: no
    /// index, no join to plan), not by id. Joined by id, PostgreSQL planned a hash join over a sequential scan of
    /// every customer as soon as a batch reached about 800 rows at 100,000 customers (EXPLAIN ANALYZE of a
    /// 1,000-row batch: 48 ms of its 103 ms reading all 100,000 rows), and batches grow on a quiet machine. The
    /// address is safe to use: the rows are locked (<c>FOR UPDATE</c>) from the pick to the commit, so no one else
    /// can move them, and a row read again after a wait is locked at its latest version, whose address the pick
    /// returns.
    /// </remarks>
    public static Task<List<Released>> ReleaseDueAsync(HarborDbContext db, int size, bool skipLocked, DateTimeOffset now, CancellationToken ct,
        params (string Kind, bool WithOwner)[] kinds)
    {
        var table = string.Join(" UNION ALL ", kinds.Select((k, i) => $"SELECT {P(7 + i)}::varchar AS kind, {(k.WithOwner ? 1 : 0)} AS owner, {i} AS ord"));
        var sql = $"""
            WITH due AS (
                SELECT ctid AS "Row", "Id", "OwnerId", "ReleaseAt" FROM "Customers"
                WHERE "Status" = {P(1)} AND "ReleaseAt" <= {P(2)}
                ORDER BY "ReleaseAt"
                LIMIT {P(0)}
                FOR UPDATE{(skipLocked ? " SKIP LOCKED" : "")}),
            released AS (
                UPDATE "Customers" AS c
                SET "Status" = {P(3)}, "PublishedAt" = due."ReleaseAt", "OwnerId" = NULL, "StartsOn" = NULL, "DueOn" = NULL,
                    "RemindAt" = NULL, "ReleaseAt" = NULL, "RemindedFor" = NULL, "Version" = c."Version" + 1
                FROM due
                WHERE c.ctid = due."Row"
                RETURNING due."Id", due."OwnerId", due."ReleaseAt"),
            history AS (
                INSERT INTO "CustomerEvents" ("CustomerId", "Kind", "At", "ActorId", "SalespersonId", "Reason")
                SELECT r."Id", k.kind, r."ReleaseAt", NULL, CASE WHEN k.owner = 1 THEN r."OwnerId" END, NULL
                FROM released AS r CROSS JOIN ({table}) AS k
                ORDER BY r."ReleaseAt", r."Id", k.ord),
            counted AS (
                INSERT INTO "Publications" ("At", "Customers", "AnnouncedAt")
                SELECT "ReleaseAt", count(*), NULL FROM released GROUP BY "ReleaseAt"
                ON CONFLICT ("At") DO UPDATE SET "Customers" = "Publications"."Customers" + excluded."Customers")
            SELECT r."Id", r."ReleaseAt",
                EXISTS (SELECT 1 FROM "Extensions" AS e WHERE e."CustomerId" = r."Id" AND e."Status" = {P(4)})
                OR EXISTS (SELECT 1 FROM "Cooperations" AS o WHERE o."CustomerId" = r."Id" AND o."Status" IN ({P(5)}, {P(6)})) AS "Attached"
            FROM released AS r
            ORDER BY r."ReleaseAt", r."Id"
            """;
        object[] arguments = [size, nameof(CustomerStatus.Protected), Instant(db, now), nameof(CustomerStatus.InPool),
            nameof(ExtensionStatus.Pending), nameof(CooperationStatus.Pending), nameof(CooperationStatus.Approved), .. kinds.Select(k => (object)k.Kind)];
        return db.Database.SqlQuery<Released>(FormattableStringFactory.Create(sql, arguments)).ToListAsync(ct);
    }

    /// <summary>
    /// Customers reached the pool at these instants (10:00 of a day): each instant's publication counts them, to
    /// be announced once (<c>AnnounceAsync</c>). An upsert that adds to the count in SQL: two sweeps adding to
    /// one publication queue on its row and both count, where EF's read-then-write needed a concurrency token
    /// and a re-run of the loser's whole batch.
    /// </summary>
    public static async Task CountPublishedAsync(HarborDbContext db, IEnumerable<DateTimeOffset> publishedAt, CancellationToken ct)
    {
        foreach (var instant in publishedAt.GroupBy(at => at).OrderBy(g => g.Key))
            await ExecuteAsync(db, $"""
                INSERT INTO "Publications" ("At", "Customers", "AnnouncedAt") VALUES ({P(0)}, {P(1)}, NULL)
                ON CONFLICT ("At") DO UPDATE SET "Customers" = "Publications"."Customers" + excluded."Customers"
                """, [Instant(db, instant.Key), instant.Count()], ct);
    }

    /// <summary><see cref="Customer.MarkReminded"/> on rows the caller holds and has checked: reminded of this due date.</summary>
    public static Task<int> MarkRemindedAsync(HarborDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        ExecuteAsync(db, $"""
            UPDATE "Customers" SET "RemindedFor" = "DueOn", "Version" = "Version" + 1
            WHERE "Id" {IdIn(db, 0)}
            """, [Ids(db, ids)], ct);

    /// <summary><see cref="Customer.PublishIfDue"/> on rows the caller holds and has checked: in the pool, published at its publication time.</summary>
    public static Task<int> PublishAsync(HarborDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        ExecuteAsync(db, $"""
            UPDATE "Customers"
            SET "Status" = {P(1)}, "PublishedAt" = "PublishAt", "PublishAt" = NULL, "Version" = "Version" + 1
            WHERE "Id" {IdIn(db, 0)}
            """, [Ids(db, ids), nameof(CustomerStatus.InPool)], ct);

    /// <summary>
    /// The id of a publication's notification to one salesperson, the same whoever computes it:
    /// a version-7 Guid whose time is the publication's instant and whose other bits are a hash
    /// of the instant and the salesperson, so a second announcement of the same publication
    /// meets the first one's rows.
    /// </summary>
    public static Guid AnnouncementId(DateTimeOffset publishedAt, Guid salespersonId)
    {
        Span<byte> input = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(input, publishedAt.UtcTicks);
        salespersonId.TryWriteBytes(input[8..], bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        // RFC 9562: 48 bits of Unix milliseconds, version 7, variant 10.
        var ms = publishedAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// Inserts notifications of one kind in one statement, whatever their number: each row is
    /// (id, user), with its own payload or, when <paramref name="payloads"/> has one element, the
    /// same payload for all (the announcement: one parameter, not one copy per salesperson).
    /// With <paramref name="skipExisting"/>, a row whose id is already there is left as it is
    /// (the announcement's ids are derived, see <see cref="AnnouncementId"/>).
    /// </summary>
    public static Task<int> InsertNotificationsAsync(HarborDbContext db, string kind, DateTimeOffset now,
        IReadOnlyList<(Guid Id, Guid UserId)> rows, IReadOnlyList<string> payloads, CancellationToken ct, bool skipExisting = false)
    {
        // SQLite needs a WHERE before an upsert clause after INSERT … SELECT (its parsing ambiguity with a join's ON).
        var skip = skipExisting ? (db.SerialisesWrites ? "WHERE true ON CONFLICT (\"Id\") DO NOTHING" : "ON CONFLICT (\"Id\") DO NOTHING") : "";
        if (rows.Count == 0)
            return Task.FromResult(0);
        var shared = payloads.Count == 1;
        if (!shared && payloads.Count != rows.Count)
            throw new ArgumentException("One payload for all rows, or one per row.", nameof(payloads));
        var at = Instant(db, now);
        if (db.SerialisesWrites)
        {
            var json = JsonSerializer.Serialize(rows.Select((r, i) => new { i = SqliteGuid(r.Id), u = SqliteGuid(r.UserId), p = shared ? null : payloads[i] }));
            return ExecuteAsync(db, $"""
                INSERT INTO "Notifications" ("Id", "UserId", "Kind", "CreatedAt", "ReadAt", "Payload")
                SELECT json_extract(r.value, '$.i'), json_extract(r.value, '$.u'), {P(1)}, {P(2)}, NULL,
                       {(shared ? P(3) : "json_extract(r.value, '$.p')")}
                FROM json_each({P(0)}) r
                {skip}
                """, shared ? [json, kind, at, payloads[0]] : [json, kind, at], ct);
        }

        return ExecuteAsync(db, $"""
            INSERT INTO "Notifications" ("Id", "UserId", "Kind", "CreatedAt", "ReadAt", "Payload")
            SELECT r.id, r.user_id, {P(2)}, {P(3)}, NULL, {(shared ? P(4) : "r.payload")}
            FROM unnest({P(0)}, {P(1)}{(shared ? "" : ", " + P(4))}) AS r(id, user_id{(shared ? "" : ", payload")})
            {skip}
            """, [rows.Select(r => r.Id).ToArray(), rows.Select(r => r.UserId).ToArray(), kind, at, shared ? payloads[0] : payloads.ToArray()], ct);
    }

    /// <summary>
    /// The sweep's SQLite <c>synchronous</c> while it runs: NORMAL (1) instead of FULL (2). In WAL mode a FULL
    /// commit syncs the WAL inside the write lock; NORMAL leaves that sync to the checkpoint (which syncs the WAL
    /// before copying it), and the sweep checkpoints right after each batch, outside the lock
    /// (<see cref="CheckpointAsync"/>): one sync fewer per batch, and the remaining ones out of the lock. Nothing
    /// is weakened that matters: a batch is lost only to a power cut before its checkpoint, whole (history,
    /// notifications, count and all, one transaction), and the next sweep redoes it, since it is worked out from
    /// stored state; no claim can durably build on a lost batch, since a claim's own FULL commit syncs the whole
    /// WAL before it, the sweep's frames included.
    /// </summary>
    public const int SweepSynchronous = 1;

    /// <summary>The sweep's SQLite page cache while it runs, in KiB (SQLite's default is 2,000 KiB).</summary>
    public const int SweepCacheKiB = 32 * 1024;

    /// <summary>
    /// SQLite: for the sweep's run, its connection stays open and does not checkpoint the WAL when it commits;
    /// <see cref="CheckpointAsync"/> does it after each batch instead, outside the write lock. By default the
    /// connection whose commit takes the WAL past 1,000 pages copies them into the database file and syncs it
    /// inside that COMMIT, while the single writer waits: a sweep batch writes most of 1,000 pages (rows,
    /// indexes and history scattered over the file), so nearly every batch paid a checkpoint in its lock.
    /// Measured here on a copy of the sweep's write pattern (200-row batches, WAL, synchronous FULL, load
    /// 10–17): commit p50 19–75 ms with the checkpoint inside, 6–18 ms without, and the tails (up to 1.2 s)
    /// went with it (docs/benchmarks.md, session 4). For the run its page cache is also
    /// <see cref="SweepCacheKiB"/> instead of SQLite's 2 MB: each batch reads its rows for the history, then
    /// rewrites them and six indexes, over a file of hundreds of MB, and with 2 MB the pages the first statement
    /// read were gone by the second (at 1,000,000 customers a release cost 200 µs a row, the floor's one UPDATE 50;
    /// the import measured the same, BulkCustomers.SqliteCacheKiB). Both settings are put back before the
    /// connection returns to the pool. PostgreSQL: nothing to do (its checkpointer is a server process).
    /// </summary>
    public static async Task<IAsyncDisposable> CheckpointOutsideTheLockAsync(HarborDbContext db, CancellationToken ct)
    {
        if (!db.SerialisesWrites)
            return NoCheckpoints.Instance;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var read = connection.CreateCommand();
            read.CommandText = "PRAGMA wal_autocheckpoint";
            var pages = Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            read.CommandText = "PRAGMA cache_size";
            var cache = Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            read.CommandText = "PRAGMA synchronous";
            var synchronous = Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            await PragmaAsync(connection, "PRAGMA wal_autocheckpoint = 0", ct);
            await PragmaAsync(connection, $"PRAGMA cache_size = -{SweepCacheKiB}", ct);
            await PragmaAsync(connection, $"PRAGMA synchronous = {SweepSynchronous}", ct);
            return new AutoCheckpointRestored(db, pages, cache, synchronous);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>
    /// SQLite, between two batches (no transaction open): copies what the WAL holds into the database file,
    /// without waiting for readers or writers (PASSIVE), so claims keep committing meanwhile. A checkpoint is
    /// housekeeping: if another connection is running one, that one does the work.
    /// </summary>
    public static async Task<Checkpoint> CheckpointAsync(HarborDbContext db, ILogger logger, CancellationToken ct)
    {
        if (!db.SerialisesWrites)
            return default;
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new Checkpoint(reader.GetInt32(0) != 0, reader.GetInt32(1), reader.GetInt32(2)) : default;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            logger.LogDebug(e, "The sweep's checkpoint of the WAL was skipped.");
            return default;
        }
    }

    /// <summary>
    /// What a checkpoint reported (SQLite's answer to <c>PRAGMA wal_checkpoint</c>): blocked by another checkpointer,
    /// the WAL's pages, the pages copied. A WAL of few pages after a sweep batch means another connection (a claim's
    /// auto-checkpoint, inside its COMMIT) copied the batch first: logged at Debug with the batch.
    /// </summary>
    public readonly record struct Checkpoint(bool Busy, int WalPages, int Copied);

    private static async Task PragmaAsync(System.Data.Common.DbConnection connection, string pragma, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class NoCheckpoints : IAsyncDisposable
    {
        public static readonly NoCheckpoints Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AutoCheckpointRestored(HarborDbContext db, long pages, long cache, long synchronous) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await PragmaAsync(db.Database.GetDbConnection(), $"PRAGMA wal_autocheckpoint = {pages}", CancellationToken.None);
                await PragmaAsync(db.Database.GetDbConnection(), $"PRAGMA cache_size = {cache}", CancellationToken.None);
                await PragmaAsync(db.Database.GetDbConnection(), $"PRAGMA synchronous = {synchronous}", CancellationToken.None);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>An instant as a parameter in the column's storage form.</summary>
    public static object Instant(HarborDbContext db, DateTimeOffset at) => db.SerialisesWrites ? at.UtcTicks : at.ToUniversalTime();

    private static string P(int index) => "{" + index + "}";

    private static string IdIn(HarborDbContext db, int index) =>
        db.SerialisesWrites ? $"IN (SELECT value FROM json_each({P(index)}))" : $"= ANY({P(index)})";

    private static object Ids(HarborDbContext db, IReadOnlyList<Guid> ids) =>
        db.SerialisesWrites ? JsonSerializer.Serialize(ids.Select(SqliteGuid)) : ids.ToArray();

    // EF Core's SQLite encoding of a Guid (what the columns hold): upper-case text.
    private static string SqliteGuid(Guid id) => id.ToString().ToUpperInvariant();

    private static Task<int> ExecuteAsync(HarborDbContext db, string format, object[] arguments, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(format, arguments), ct);
}
