using System.Data.Common;
using Harbor.Domain.Access;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Harbor.Web.Features.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Harbor.Bench;

public sealed record Salesperson(Guid Id, Guid GroupId, string Token);

/// <summary>
/// Fills Harbor's tables fast: people with bearer tokens through Harbor's own DbContext (as the
/// tests' HarborApp.SalespeopleAsync does; no password hashing), customers through the raw
/// provider in bulk (a prepared INSERT per row in large transactions on SQLite, binary COPY on
/// PostgreSQL), with the keys Harbor's normalisers compute.
/// </summary>
public static class Loader
{
    private static readonly string[] Columns =
    [
        "Id", "Name", "NameKey", "Phone", "PhoneKey", "CreditCode", "CreditCodeKey", "ContactName", "Address", "Notes", "Status",
        "OwnerId", "StartsOn", "DueOn", "RemindAt", "ReleaseAt", "PublishAt", "PublishedAt", "Stage", "CreatedAt", "Version", "RemindedFor",
    ];

    public static async Task<Guid> GroupAsync(HarborHost host, string name) => await host.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        var group = new Group { Id = Guid.NewGuid(), Name = name, CreatedAt = host.Clock.GetUtcNow() };
        db.Groups.Add(group);
        await db.SaveChangesAsync();
        return group.Id;
    });

    public static async Task<List<Salesperson>> SalespeopleAsync(HarborHost host, int count, Guid groupId, string prefix, Role role = Role.Salesperson)
    {
        var people = new List<Salesperson>(count);
        var now = host.Clock.GetUtcNow();
        for (var start = 0; start < count; start += 2000)
        {
            await host.InScopeAsync(async services =>
            {
                var db = services.GetRequiredService<HarborDbContext>();
                for (var i = start; i < Math.Min(count, start + 2000); i++)
                {
                    var username = $"{prefix}{i:D5}";
                    var user = new User
                    {
                        Id = Guid.NewGuid(),
                        Username = username,
                        UsernameKey = username,
                        DisplayName = $"销售{prefix}{i}",
                        Role = role,
                        GroupId = role is Role.Salesperson or Role.Manager ? groupId : null,
                        PasswordHash = "not-used",
                        CreatedAt = now,
                    };
                    var token = BearerTokens.NewToken();
                    db.Users.Add(user);
                    db.ApiTokens.Add(new ApiToken
                    {
                        Id = Guid.NewGuid(),
                        TokenHash = BearerTokens.Hash(token),
                        UserId = user.Id,
                        CreatedAt = now,
                        ExpiresAt = now.AddDays(400),
                    });
                    people.Add(new Salesperson(user.Id, groupId, token));
                }

                await db.SaveChangesAsync();
                return true;
            });
        }

        return people;
    }

    public static async Task CustomersAsync(BenchDatabase database, IEnumerable<CustomerRow> rows)
    {
        var names = new List<(Guid Id, string Name)>();
        var tracked = rows.Select(r =>
        {
            names.Add((r.Id, r.Name));
            return r;
        });
        if (database.Engine == Engine.Sqlite)
            await SqliteAsync(database, tracked);
        else
            await PostgresAsync(database, tracked);
        await NameGramsAsync(database, names);
    }

    /// <summary>
    /// The similar-name index Harbor writes with each customer it saves (HarborDbContext) and
    /// backfills at start: a bulk load writes it too, with Harbor's own gram function.
    /// </summary>
    private static async Task NameGramsAsync(BenchDatabase database, List<(Guid Id, string Name)> names)
    {
        IEnumerable<(Guid Id, string Gram)> Grams() => names.SelectMany(n => NameGrams.Of(CompanyName.Normalize(n.Name))
            .Where(g => g.Length <= CustomerNameGram.MaxGramLength).Distinct().Select(g => (n.Id, g)));
        await using var connection = await database.OpenAsync();
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync("COPY \"CustomerNameGrams\" (\"Gram\", \"CustomerId\") FROM STDIN (FORMAT BINARY)");
            foreach (var (id, gram) in Grams())
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(gram, NpgsqlDbType.Text);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid);
            }

            await copy.CompleteAsync();
            return;
        }

        await using var insert = connection.Command("INSERT OR IGNORE INTO \"CustomerNameGrams\" (\"Gram\", \"CustomerId\") VALUES ($g, $c)");
        var g = insert.CreateParameter();
        g.ParameterName = "$g";
        var c = insert.CreateParameter();
        c.ParameterName = "$c";
        insert.Parameters.Add(g);
        insert.Parameters.Add(c);
        DbTransaction? transaction = null;
        var n = 0;
        foreach (var (id, gram) in Grams())
        {
            if (n++ % 200_000 == 0)
            {
                if (transaction is not null)
                    await transaction.CommitAsync();
                transaction = await connection.BeginTransactionAsync();
                insert.Transaction = transaction;
            }

            g.Value = gram;
            c.Value = SqliteGuid(id);
            await insert.ExecuteNonQueryAsync();
        }

        if (transaction is not null)
            await transaction.CommitAsync();
    }

    private static async Task SqliteAsync(BenchDatabase database, IEnumerable<CustomerRow> rows)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-200000";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"Customers\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))})";
        var parameters = Columns.ToDictionary(c => c, c => command.Parameters.Add(new SqliteParameter("$" + c, null)));
        DbTransaction? transaction = null;
        var n = 0;
        foreach (var row in rows)
        {
            if (n++ % 50_000 == 0)
            {
                if (transaction is not null)
                    await transaction.CommitAsync();
                transaction = await connection.BeginTransactionAsync();
                command.Transaction = (SqliteTransaction)transaction;
                if (n == 1)
                    await command.PrepareAsync();
            }

            parameters["Id"].Value = SqliteGuid(row.Id);
            parameters["Name"].Value = row.Name;
            parameters["NameKey"].Value = row.NameKey;
            parameters["Phone"].Value = (object?)row.Phone ?? DBNull.Value;
            parameters["PhoneKey"].Value = (object?)row.PhoneKey ?? DBNull.Value;
            parameters["CreditCode"].Value = (object?)row.CreditCode ?? DBNull.Value;
            parameters["CreditCodeKey"].Value = (object?)row.CreditCodeKey ?? DBNull.Value;
            parameters["ContactName"].Value = (object?)row.ContactName ?? DBNull.Value;
            parameters["Address"].Value = (object?)row.Address ?? DBNull.Value;
            parameters["Notes"].Value = DBNull.Value;
            parameters["Status"].Value = row.Status;
            parameters["OwnerId"].Value = row.OwnerId is { } owner ? SqliteGuid(owner) : DBNull.Value;
            parameters["StartsOn"].Value = SqliteDay(row.StartsOn);
            parameters["DueOn"].Value = SqliteDay(row.DueOn);
            parameters["RemindAt"].Value = SqliteInstant(row.RemindAt);
            parameters["ReleaseAt"].Value = SqliteInstant(row.ReleaseAt);
            parameters["PublishAt"].Value = DBNull.Value;
            parameters["PublishedAt"].Value = SqliteInstant(row.PublishedAt);
            parameters["Stage"].Value = (object?)row.Stage ?? DBNull.Value;
            parameters["CreatedAt"].Value = row.CreatedAt.UtcTicks;
            parameters["Version"].Value = 1;
            parameters["RemindedFor"].Value = SqliteDay(row.RemindedFor);
            await command.ExecuteNonQueryAsync();
        }

        if (transaction is not null)
            await transaction.CommitAsync();
    }

    /// <summary>EF Core's SQLite encoding of a Guid: upper-case text.</summary>
    public static string SqliteGuid(Guid id) => id.ToString().ToUpperInvariant();

    public static object SqliteDay(DateOnly? day) => day is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value;

    public static object SqliteInstant(DateTimeOffset? instant) => instant is { } i ? i.UtcTicks : DBNull.Value;

    private static async Task PostgresAsync(BenchDatabase database, IEnumerable<CustomerRow> rows)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY \"Customers\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(row.Name, NpgsqlDbType.Text);
            await writer.WriteAsync(row.NameKey, NpgsqlDbType.Text);
            await WriteAsync(writer, row.Phone, NpgsqlDbType.Text);
            await WriteAsync(writer, row.PhoneKey, NpgsqlDbType.Text);
            await WriteAsync(writer, row.CreditCode, NpgsqlDbType.Text);
            await WriteAsync(writer, row.CreditCodeKey, NpgsqlDbType.Text);
            await WriteAsync(writer, row.ContactName, NpgsqlDbType.Text);
            await WriteAsync(writer, row.Address, NpgsqlDbType.Text);
            await writer.WriteNullAsync();
            await writer.WriteAsync(row.Status, NpgsqlDbType.Text);
            await WriteAsync(writer, row.OwnerId, NpgsqlDbType.Uuid);
            await WriteAsync(writer, row.StartsOn, NpgsqlDbType.Date);
            await WriteAsync(writer, row.DueOn, NpgsqlDbType.Date);
            await WriteAsync(writer, row.RemindAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await WriteAsync(writer, row.ReleaseAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await writer.WriteNullAsync();
            await WriteAsync(writer, row.PublishedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await WriteAsync(writer, row.Stage, NpgsqlDbType.Text);
            await writer.WriteAsync(row.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(1, NpgsqlDbType.Integer);
            await WriteAsync(writer, row.RemindedFor, NpgsqlDbType.Date);
        }

        await writer.CompleteAsync();
    }

    private static async Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null)
            await writer.WriteNullAsync();
        else
            await writer.WriteAsync(value, type);
    }

    private static async Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v)
            await writer.WriteAsync(v, type);
        else
            await writer.WriteNullAsync();
    }

    /// <summary>Harbor must read what the loader wrote: catches an encoding mistake before any figure is taken.</summary>
    public static async Task VerifyReadableAsync(HarborHost host, CustomerRow row)
    {
        var found = await host.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            return await db.Customers.AsNoTracking().Where(c => c.Id == row.Id).Select(c => new { c.Name, c.DueOn, c.ReleaseAt }).FirstOrDefaultAsync();
        });
        if (found is null || found.Name != row.Name || found.DueOn != row.DueOn || found.ReleaseAt != row.ReleaseAt)
            throw new InvalidOperationException($"Harbor does not read the bulk-loaded customer {row.Id} back as written.");
    }
}
