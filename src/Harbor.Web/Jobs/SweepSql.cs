using System.Runtime.CompilerServices;
using System.Text.Json;
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
    /// Appends one history line per customer, copied from the customer's row in the order of
    /// <paramref name="orderColumn"/> then id (the order in which they fell due): the event's
    /// instant is the column <paramref name="atColumn"/>, its salesperson the current owner when
    /// <paramref name="withOwner"/>. Must run before the update that clears those columns.
    /// </summary>
    public static Task<int> AppendHistoryAsync(HarborDbContext db, IReadOnlyList<Guid> ids, string kind, string atColumn, bool withOwner, CancellationToken ct) =>
        ExecuteAsync(db, $"""
            INSERT INTO "CustomerEvents" ("CustomerId", "Kind", "At", "ActorId", "SalespersonId", "Reason")
            SELECT c."Id", {P(1)}, c."{atColumn}", NULL, {(withOwner ? "c.\"OwnerId\"" : "NULL")}, NULL
            FROM "Customers" c
            WHERE c."Id" {IdIn(db, 0)}
            ORDER BY c."{atColumn}", c."Id"
            """, [Ids(db, ids), kind], ct);

    /// <summary>
    /// Inserts notifications of one kind in one statement, whatever their number: each row is
    /// (id, user), with its own payload or, when <paramref name="payloads"/> has one element, the
    /// same payload for all (the announcement: one parameter, not one copy per salesperson).
    /// </summary>
    public static Task<int> InsertNotificationsAsync(HarborDbContext db, string kind, DateTimeOffset now,
        IReadOnlyList<(Guid Id, Guid UserId)> rows, IReadOnlyList<string> payloads, CancellationToken ct)
    {
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
                """, shared ? [json, kind, at, payloads[0]] : [json, kind, at], ct);
        }

        return ExecuteAsync(db, $"""
            INSERT INTO "Notifications" ("Id", "UserId", "Kind", "CreatedAt", "ReadAt", "Payload")
            SELECT r.id, r.user_id, {P(2)}, {P(3)}, NULL, {(shared ? P(4) : "r.payload")}
            FROM unnest({P(0)}, {P(1)}{(shared ? "" : ", " + P(4))}) AS r(id, user_id{(shared ? "" : ", payload")})
            """, [rows.Select(r => r.Id).ToArray(), rows.Select(r => r.UserId).ToArray(), kind, at, shared ? payloads[0] : payloads.ToArray()], ct);
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
