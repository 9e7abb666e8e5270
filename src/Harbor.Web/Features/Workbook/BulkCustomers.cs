using System.Data.Common;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// Writes new customers, their history and their name grams (what <see cref="HarborDbContext.SaveChangesAsync(bool, CancellationToken)"/>
/// would write for them) straight through the provider, in the context's own connection and open
/// transaction: binary COPY on PostgreSQL, one prepared INSERT per table reused row after row on
/// SQLite. EF Core's per-entity work cost the workbook import 60–90 s of CPU for 100,000 rows
/// (docs/benchmarks.md, "The workbook"); this writes the same rows in a few seconds.
/// </summary>
/// <remarks>
/// The columns and each value's stored form come from the EF model (table and column names, value
/// converters, the provider's type mapping), so a column added to <see cref="Customer"/> is written
/// here too, or refused loudly if it is one this writer cannot produce (a store-generated value
/// other than an identity key). Customers are buffered <see cref="BatchSize"/> at a time because a
/// PostgreSQL connection runs one COPY at a time: each batch is three COPYs, customers first, so
/// the history's and the grams' foreign keys find their customer.
/// </remarks>
public sealed class BulkCustomers : IAsyncDisposable
{
    public const int BatchSize = 2000;

    private readonly HarborDbContext _db;
    private readonly List<Customer> _pending = new(BatchSize);
    private readonly Table _customers;
    private readonly Table _events;
    private readonly Table _grams;

    public BulkCustomers(HarborDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A bulk write belongs to the use case's transaction: begin it first.");
        _db = db;
        _customers = Table.Of<Customer>(db);
        _events = Table.Of<CustomerEvent>(db);
        _grams = Table.Of<CustomerNameGram>(db);
    }

    /// <summary>Customers written so far (the pending batch not counted).</summary>
    public int Written { get; private set; }

    /// <summary>The name grams <see cref="HarborDbContext"/> indexes a new customer under, for the similar-name check.</summary>
    public static IEnumerable<CustomerNameGram> GramsOf(Customer customer) =>
        NameGrams.Of(CompanyName.Normalize(customer.Name)).Where(g => g.Length <= CustomerNameGram.MaxGramLength)
            .Select(g => new CustomerNameGram { Gram = g, CustomerId = customer.Id });

    public async Task AddAsync(Customer customer, CancellationToken ct)
    {
        _pending.Add(customer);
        if (_pending.Count == BatchSize)
            await FlushAsync(ct);
    }

    /// <summary>Writes the pending batch; call it before the transaction commits.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0)
            return;
        await WriteAsync(_customers, _pending, ct);
        await WriteAsync(_events, _pending.SelectMany(c => c.History), ct);
        await WriteAsync(_grams, _pending.SelectMany(GramsOf), ct);
        Written += _pending.Count;
        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _customers.DisposeAsync();
        await _events.DisposeAsync();
        await _grams.DisposeAsync();
    }

    private Task WriteAsync<T>(Table table, IEnumerable<T> rows, CancellationToken ct) where T : class =>
        _db.Database.GetDbConnection() switch
        {
            NpgsqlConnection pg => CopyAsync(pg, table, rows, ct),
            SqliteConnection sqlite => InsertAsync(sqlite, table, rows, ct),
            var other => throw new NotSupportedException($"No bulk path for {other.GetType().Name}."),
        };

    private static async Task CopyAsync<T>(NpgsqlConnection connection, Table table, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            foreach (var column in table.Columns)
                await WriteAsync(copy, column.ValueOf(row), ct);
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>A provider value (after EF's converters) in PostgreSQL's binary form; the column's type decides how it is received.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter copy, object? value, CancellationToken ct) => value switch
    {
        null => copy.WriteNullAsync(ct),
        string text => copy.WriteAsync(text, NpgsqlDbType.Text, ct),
        Guid id => copy.WriteAsync(id, NpgsqlDbType.Uuid, ct),
        DateOnly day => copy.WriteAsync(day, NpgsqlDbType.Date, ct),
        DateTimeOffset instant => copy.WriteAsync(instant.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct),
        int number => copy.WriteAsync(number, NpgsqlDbType.Integer, ct),
        long number => copy.WriteAsync(number, NpgsqlDbType.Bigint, ct),
        bool flag => copy.WriteAsync(flag, NpgsqlDbType.Boolean, ct),
        decimal amount => copy.WriteAsync(amount, NpgsqlDbType.Numeric, ct),
        _ => throw new NotSupportedException($"The bulk path has no PostgreSQL form for {value.GetType().Name}: extend BulkCustomers."),
    };

    private async Task InsertAsync<T>(SqliteConnection connection, Table table, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var command = table.Command;
        if (command is null)
        {
            command = connection.CreateCommand();
            command.Transaction = (SqliteTransaction)_db.Database.CurrentTransaction!.GetDbTransaction();
            command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""))}) " +
                $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"))})";
            // The provider's own parameter set-up (SQLite's Guid as upper-case text, for one).
            for (var i = 0; i < table.Columns.Count; i++)
                command.Parameters.Add(table.Columns[i].Mapping.CreateParameter(command, $"$p{i}", null, nullable: true));
            await command.PrepareAsync(ct);
            table.Command = command;
        }

        var parameters = command.Parameters;
        foreach (var row in rows)
        {
            for (var i = 0; i < table.Columns.Count; i++)
                parameters[i].Value = table.Columns[i].ValueOf(row) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A table as the EF model maps it: the columns an INSERT of a new row writes.</summary>
    private sealed class Table(string name, IReadOnlyList<Column> columns) : IAsyncDisposable
    {
        public string Name { get; } = name;
        public IReadOnlyList<Column> Columns { get; } = columns;
        public DbCommand? Command { get; set; }

        public static Table Of<T>(HarborDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            var name = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} has no table.");
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var columns = new List<Column>();
            foreach (var property in entity.GetProperties())
            {
                if (property.ValueGenerated != ValueGenerated.Never && property.ClrType != typeof(Guid))
                {
                    // The database numbers the history's rows; anything else it would compute, this writer cannot know.
                    if (property.IsPrimaryKey() && (property.ClrType == typeof(long) || property.ClrType == typeof(int)))
                        continue;
                    throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is generated by the database: the bulk path cannot write it.");
                }

                var mapping = property.GetRelationalTypeMapping();
                columns.Add(new Column(property.GetColumnName(store) ?? property.Name, mapping,
                    property.GetGetter(), mapping.Converter ?? property.GetValueConverter()));
            }

            return new Table(name, columns);
        }

        public async ValueTask DisposeAsync()
        {
            if (Command is not null)
                await Command.DisposeAsync();
        }
    }

    private sealed record Column(string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter)
    {
        public object? ValueOf(object entity)
        {
            var value = Getter.GetClrValueUsingContainingEntity(entity);
            return value is null || Converter is null ? value : Converter.ConvertToProvider(value);
        }
    }
}
