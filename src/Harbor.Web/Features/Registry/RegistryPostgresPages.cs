using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Harbor.Web.Features.Registry;

/// <summary>
/// The registry's default view (no filter, by due date) on PostgreSQL, as SQL written for
/// PostgreSQL's plan cache (docs/benchmarks.md, "Session 6, pgpage"):
/// <list type="bullet">
/// <item>The page's ids are an <c>ARRAY(…)</c> of an index-ordered seek, and the rows are read by
/// <c>"Id" = ANY(…)</c>. Every estimate of that plan is right without knowing the parameters (50 ids
/// then 50 primary-key reads), so PostgreSQL keeps the prepared statement's generic plan for the first
/// page and the cursor and stops planning them. The deferred join EF wrote was planned afresh on
/// every execution (its generic plan, guessing a tenth of the table, was a scan).</item>
/// <item>The page size is written into the SQL (it is validated, 1–100): a <c>LIMIT</c> parameter
/// makes the generic plan guess a tenth of the table too.</item>
/// <item>A page by number: an <c>OFFSET</c> parameter made PostgreSQL plan the statement on every
/// execution (for the generic plan it guesses a tenth of the table, which costs more than any custom
/// plan, so it never switches), although that generic plan is the right one here (the same index
/// walk). So the offset reaches the statement as a transaction-local setting, set by a statement
/// sent with it in one batch (one round trip, one implicit transaction): the page's statement has
/// no parameter at all, and PostgreSQL plans it once per connection. The walk over the skipped
/// index entries remains: it is the price of a page by number (the cursor has none).</item>
/// <item>No join to the owners: they come from <see cref="RegistryOwners"/>.</item>
/// </list>
/// Positional parameters ($1), so that Npgsql sends the SQL as written, without rewriting named
/// ones on every execution; it prepares the statements itself (<c>Max Auto Prepare</c>, ADR-011). The rows and their
/// order are those of the plain query; a test walks pages and cursors against it.
/// </summary>
public static class RegistryPostgresPages
{
    private const string Columns = """
        SELECT c."Id", c."Name", c."Status", c."OwnerId", c."StartsOn", c."DueOn", c."PublishAt", c."Stage", c."CreatedAt"
        FROM "Customers" AS c
        WHERE c."Id" = ANY(ARRAY(
            SELECT p."Id" FROM "Customers" AS p
        """;

    // IX_Customers_DueKey indexes COALESCE("DueOn", 'infinity'): the undated sort last.
    private const string Order = """ORDER BY COALESCE(p."DueOn", DATE 'infinity'), p."Id" """;

    private const string Rows = """

        ORDER BY COALESCE(c."DueOn", DATE 'infinity'), c."Id"
        """;

    private static readonly string[] First = Sql(take => $"{Columns}    {Order}LIMIT {take}))" + Rows);
    private static readonly string[] ByOffset = Sql(take => $"{Columns}    {Order}LIMIT {take} OFFSET current_setting('harbor.registry_skip')::int))" + Rows);

    private const string SetSkip = "SELECT set_config('harbor.registry_skip', $1::text, true)";
    private static readonly string[] After = Sql(take =>
        $"{Columns}    WHERE (COALESCE(p.\"DueOn\", DATE 'infinity'), p.\"Id\") > ($1, $2)\n    {Order}LIMIT {take}))" + Rows);

    private static string[] Sql(Func<int, string> write) =>
        Enumerable.Range(0, SearchRegistry.MaxPageSize + 1).Select(take => take == 0 ? "" : write(take)).ToArray();

    public static async Task<List<RegistryItem>> ReadAsync(
        PostgresHarborDbContext db, RegistryOwners owners, RegistryCursor? cursor, int skip, int take, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, SearchRegistry.MaxPageSize);

        var rows = new List<(Guid Id, string Name, CustomerStatus Status, Guid? OwnerId, DateOnly? StartsOn, DateOnly? DueOn,
            DateTimeOffset? PublishAt, string? Stage, DateTimeOffset CreatedAt)>(take);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = ((NpgsqlConnection)db.Database.GetDbConnection()).CreateBatch();
            batch.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
            if (cursor is not null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(After[take])
                {
                    Parameters =
                    {
                        new NpgsqlParameter<DateOnly> { NpgsqlDbType = NpgsqlDbType.Date, TypedValue = RegistryCursor.Date(cursor.Key) },
                        new NpgsqlParameter<Guid> { NpgsqlDbType = NpgsqlDbType.Uuid, TypedValue = cursor.Id },
                    },
                });
            }
            else if (skip > 0)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(SetSkip) { Parameters = { new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = skip } } });
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ByOffset[take]));
            }
            else
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(First[take]));
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (batch.BatchCommands.Count > 1)
                await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((
                    reader.GetGuid(0),
                    reader.GetString(1),
                    Enum.Parse<CustomerStatus>(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var known = await owners.OfAsync(db, rows.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!.Value), ct);
        return rows.ConvertAll(r =>
        {
            // The foreign key keeps every owner in the users; a missing one reads as the left join did.
            var owner = r.OwnerId is { } id ? known.GetValueOrDefault(id) : null;
            return new RegistryItem(r.Id, r.Name, r.Status, owner?.Id, owner?.DisplayName, owner?.GroupId, owner?.Group,
                r.StartsOn, r.DueOn, r.PublishAt, r.Stage, r.CreatedAt);
        });
    }
}
