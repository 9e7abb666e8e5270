using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Harbor.Web.Features.Customers;

/// <summary>
/// The conflict check's exact-key lookup on PostgreSQL, written by hand: the statement EF writes for
/// the compiled query, sent through Npgsql on the context's connection without EF's command,
/// parameter and materialiser layers. Issue 6 holds an exact hit to 2 ms at the 99th percentile on a
/// registry of 1,000,000; through EF it took 0.55 ms in process against 0.19 ms for the statement
/// alone, and one run in two missed the target by its tail (docs/benchmarks.md, Session 6, lead).
/// One statement per set of keys given (at most seven), with positional parameters so that Npgsql
/// sends it as written and prepares it (<c>Max Auto Prepare</c>, ADR-011). SQLite keeps the compiled
/// query; the tests run every case of the check on both engines.
/// </summary>
internal static class ExactHitsPostgres
{
    private const int Take = 20;

    private static readonly string[] Statements = [.. Enumerable.Range(0, 8).Select(Write)];

    public static async Task<List<ExactHit>> ReadAsync(PostgresHarborDbContext db, ConflictKeys keys, CancellationToken ct)
    {
        // The keys given, in the statement's order, and which statement that is.
        var given = new List<string>(3);
        var mask = 0;
        foreach (var (bit, key) in new[] { (1, keys.NameKey), (2, keys.PhoneKey), (4, keys.CreditCodeKey) })
        {
            if (key is null)
                continue;
            mask |= bit;
            given.Add(key);
        }

        if (mask == 0)
            return [];

        var hits = new List<ExactHit>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Statements[mask], (NpgsqlConnection)db.Database.GetDbConnection())
            {
                Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
            };
            foreach (var value in given)
                command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var isReview = reader.GetBoolean(12);
                hits.Add(new ExactHit
                {
                    Id = reader.GetGuid(0),
                    Name = reader.GetString(1),
                    Status = isReview ? null : Enum.Parse<CustomerStatus>(reader.GetString(2)),
                    OwnerId = reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    DueOn = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
                    PublishAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    MergedIntoId = reader.IsDBNull(6) ? null : reader.GetGuid(6),
                    NameKey = reader.IsDBNull(7) ? null : reader.GetString(7),
                    PhoneKey = reader.IsDBNull(8) ? null : reader.GetString(8),
                    CreditCodeKey = reader.IsDBNull(9) ? null : reader.GetString(9),
                    HolderName = reader.IsDBNull(10) ? null : reader.GetString(10),
                    HolderGroup = reader.IsDBNull(11) ? null : reader.GetString(11),
                    IsReview = isReview,
                    RequestedAt = reader.GetFieldValue<DateTimeOffset>(13),
                });
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return hits;
    }

    /// <summary>The statement for the keys in <paramref name="mask"/> (1 name, 2 phone, 4 credit code), numbered in that order.</summary>
    private static string Write(int mask)
    {
        if (mask == 0)
            return "";
        var matches = new List<string>(3);
        foreach (var (bit, column) in new[] { (1, "NameKey"), (2, "PhoneKey"), (4, "CreditCodeKey") })
            if ((mask & bit) != 0)
                matches.Add($"\"{column}\" = ${matches.Count + 1}");
        var any = string.Join(" OR ", matches);
        return $"""
            SELECT c."Id", c."Name", c."Status", c."OwnerId", c."DueOn", c."PublishAt", c."MergedIntoId",
                   c."NameKey", c."PhoneKey", c."CreditCodeKey", u."DisplayName", g."Name", FALSE, c."CreatedAt"
            FROM (SELECT * FROM "Customers" WHERE {any} ORDER BY "Id" LIMIT {Take}) AS c
            LEFT JOIN "Users" AS u ON c."OwnerId" = u."Id"
            LEFT JOIN "Groups" AS g ON u."GroupId" = g."Id"
            UNION ALL
            SELECT r."Id", r."Name", NULL, r."SalespersonId", NULL, NULL, NULL,
                   r."NameKey", r."PhoneKey", r."CreditCodeKey", u."DisplayName", g."Name", TRUE, r."RequestedAt"
            FROM (SELECT * FROM "Reviews" WHERE "Status" = '{nameof(Domain.Duplicates.ReviewStatus.Pending)}' AND ({any}) ORDER BY "RequestedAt" LIMIT {Take}) AS r
            LEFT JOIN "Users" AS u ON r."SalespersonId" = u."Id"
            LEFT JOIN "Groups" AS g ON u."GroupId" = g."Id"
            """;
    }
}
