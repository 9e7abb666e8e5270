using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// Writes new customers, their history and their name grams (what <see cref="HarborDbContext.SaveChangesAsync(bool, CancellationToken)"/>
/// would write for them) straight through the provider, in the context's own connection and open
/// transaction: binary COPY on PostgreSQL, one prepared INSERT per table reused row after row on
/// SQLite. EF Core's per-entity work cost the workbook import 60–90 s of CPU for 100,000 rows
/// (docs/benchmarks.md, "The workbook"); this writes the same rows in a few seconds.
/// </summary>
/// <remarks>
/// The tables, columns and value converters come from the EF model, so a column added to
/// <see cref="Customer"/> is written here too, or refused loudly if it is one this writer cannot
/// produce (a store-generated value other than an identity key, a type it has no stored form for).
/// The stored forms are EF's providers' own (SQLite's upper-case Guid text, yyyy-MM-dd days, UTC
/// ticks; PostgreSQL's uuid, date, timestamptz); WorkbookBulkWriteTests compares a bulk-written
/// customer with an EF-written one column by column on both engines. Customers are buffered <see cref="BatchSize"/> at a time because a
/// PostgreSQL connection runs one COPY at a time: each batch is three COPYs, customers first, so
/// the history's and the grams' foreign keys find their customer.
/// </remarks>
public sealed class BulkCustomers : IAsyncDisposable
{
    public const int BatchSize = 2000;

    /// <summary>
    /// SQLite's page cache while the import writes, in KiB (the connection's default is 2 MB). The
    /// registry's indexes of 100,000 customers (10 on the customers, 4 on their history, 2 on the
    /// grams) are far larger than that, so each insert re-read index pages from the file: half the
    /// write's CPU went to those reads (bench/Harbor.WorkbookBench import-parts). Restored after.
    /// 32 MB was needed while the ids came in random order; with <see cref="AscendingIds"/> only the
    /// name, phone and gram keys land at random pages, and 16 MB writes as fast (6.8-7.1 s CPU
    /// against 7.7 s) for 16 MB less native memory.
    /// </summary>
    public const int SqliteCacheKiB = 16 * 1024;

    private readonly HarborDbContext _db;
    private readonly List<Customer> _pending = new(BatchSize);
    private readonly Table _customers;
    private readonly Table _events;
    private readonly Table _grams;
    private long? _restoreCache;
    private BindSink? _bind;
    private readonly List<CustomerNameGram> _gramRows = [];

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
        // In key order: each batch's grams then land in neighbouring pages of the (Gram, CustomerId)
        // key instead of all over it; they are most of the rows (a handful per name). The rows are
        // the same objects batch after batch, refilled: 790,000 new ones per 100,000 customers,
        // with the LINQ that made them, were 55 MB of garbage (docs/benchmarks.md, "Session 7, import5").
        var count = 0;
        foreach (var customer in _pending)
        {
            foreach (var gram in NameGrams.Of(CompanyName.Normalize(customer.Name)))
            {
                if (gram.Length > CustomerNameGram.MaxGramLength)
                    continue;
                if (count == _gramRows.Count)
                    _gramRows.Add(new CustomerNameGram { Gram = gram, CustomerId = customer.Id });
                else
                    (_gramRows[count].Gram, _gramRows[count].CustomerId) = (gram, customer.Id);
                count++;
            }
        }

        CollectionsMarshal.AsSpan(_gramRows)[..count].Sort(static (a, b) => string.CompareOrdinal(a.Gram, b.Gram) is var byGram and not 0 ? byGram : a.CustomerId.CompareTo(b.CustomerId));
        await WriteAsync(_grams, _gramRows.Take(count), ct);
        Written += _pending.Count;
        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_restoreCache is { } cache && _db.Database.GetDbConnection() is SqliteConnection { State: System.Data.ConnectionState.Open } sqlite)
        {
            await using var pragma = sqlite.CreateCommand();
            pragma.Transaction = (SqliteTransaction?)_db.Database.CurrentTransaction?.GetDbTransaction();
            pragma.CommandText = $"PRAGMA cache_size = {cache}";
            await pragma.ExecuteNonQueryAsync();
        }

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
            $"COPY \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        var sink = new CopySink(copy);
        foreach (var row in rows)
        {
            // Synchronous: a value lands in Npgsql's write buffer and only a full buffer (8 KB) goes to
            // the socket. An awaited write per value cost an async call and a boxed value each, over
            // 5 million values for 100,000 customers (docs/benchmarks.md, "Session 7, import5").
            copy.StartRow();
            table.Write(row, sink);
        }

        ct.ThrowIfCancellationRequested();
        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// One statement per table, prepared once and bound by position straight through SQLite's own API
    /// on the context's connection (so inside its transaction). Microsoft.Data.Sqlite's commands looked
    /// every parameter up by name and allocated its name and value anew for each of the million rows.
    /// </summary>
    private async Task InsertAsync<T>(SqliteConnection connection, Table table, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is closed.");
        if (_restoreCache is null)
        {
            await using var pragma = connection.CreateCommand();
            pragma.Transaction = (SqliteTransaction)_db.Database.CurrentTransaction!.GetDbTransaction();
            pragma.CommandText = "PRAGMA cache_size";
            _restoreCache = Convert.ToInt64(await pragma.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            pragma.CommandText = $"PRAGMA cache_size = -{SqliteCacheKiB}";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        if (table.Statement is null)
        {
            var sql = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) " +
                $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"?{i + 1}"))})";
            var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
            if (rc != raw.SQLITE_OK)
                SqliteException.ThrowExceptionForRC(rc, handle);
            table.Statement = statement;
        }

        var sink = _bind ??= new BindSink(handle);
        var insert = sink.Statement = table.Statement;
        foreach (var row in rows)
        {
            sink.Rewind();
            table.Write(row, sink);
            try
            {
                var rc = raw.sqlite3_step(insert);
                if (rc != raw.SQLITE_DONE)
                    SqliteException.ThrowExceptionForRC(rc, handle);
            }
            finally
            {
                raw.sqlite3_reset(insert);
            }
        }

        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Where a row's values go: one typed call per column, in the table's column order, so no value is
    /// boxed on the way. EF's getters and converters answer <see cref="object"/>: that was an allocation
    /// per value, about 5 million for 100,000 customers with their history and grams (docs/benchmarks.md,
    /// "Session 7, import5"). A type a sink has no stored form for is refused loudly, as before.
    /// </summary>
    private abstract class RowSink
    {
        public abstract void WriteNull();
        public abstract void Write(string value);
        public abstract void Write(Guid value);
        public abstract void Write(DateOnly value);
        public abstract void Write(DateTimeOffset value);
        public abstract void Write(int value);
        public abstract void Write(long value);
        public abstract void Write(bool value);
        public abstract void Write(decimal value);
        public abstract void Write(double value);

        protected static NotSupportedException Unsupported(string provider, Type type) =>
            new($"The bulk path has no {provider} form for {type.Name}: extend BulkCustomers.");
    }

    /// <summary>A provider value (after EF's converters) in PostgreSQL's binary form; the column's type decides how it is received.</summary>
    private sealed class CopySink(NpgsqlBinaryImporter copy) : RowSink
    {
        public override void WriteNull() => copy.WriteNull();
        public override void Write(string value) => copy.Write(value, NpgsqlDbType.Text);
        public override void Write(Guid value) => copy.Write(value, NpgsqlDbType.Uuid);
        public override void Write(DateOnly value) => copy.Write(value, NpgsqlDbType.Date);
        public override void Write(DateTimeOffset value) => copy.Write(value.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        public override void Write(int value) => copy.Write(value, NpgsqlDbType.Integer);
        public override void Write(long value) => copy.Write(value, NpgsqlDbType.Bigint);
        public override void Write(bool value) => copy.Write(value, NpgsqlDbType.Boolean);
        public override void Write(decimal value) => copy.Write(value, NpgsqlDbType.Numeric);
        public override void Write(double value) => throw Unsupported("PostgreSQL", typeof(double));
    }

    /// <summary>
    /// A provider value (after EF's converters) bound by position in the form EF Core's SQLite provider
    /// stores it: Guids as upper-case text, days as yyyy-MM-dd text, instants already ticks, enums
    /// already names. Text is encoded into one reused buffer (SQLite copies it while binding).
    /// </summary>
    private sealed class BindSink(sqlite3 handle) : RowSink
    {
        private byte[] _utf8 = new byte[1024];
        private int _index;

        public sqlite3_stmt Statement { get; set; } = null!;

        public void Rewind() => _index = 0;

        public override void WriteNull() => Check(raw.sqlite3_bind_null(Statement, ++_index));

        public override void Write(string value)
        {
            var size = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_utf8.Length < size)
                _utf8 = new byte[Math.Max(size, _utf8.Length * 2)];
            Check(raw.sqlite3_bind_text(Statement, ++_index, _utf8.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(value, _utf8))));
        }

        public override void Write(Guid value)
        {
            Span<char> chars = stackalloc char[36];
            value.TryFormat(chars, out var written, "D");
            for (var i = 0; i < written; i++)
                _utf8[i] = (byte)char.ToUpperInvariant(chars[i]);
            Check(raw.sqlite3_bind_text(Statement, ++_index, _utf8.AsSpan(0, written)));
        }

        public override void Write(DateOnly value)
        {
            Span<char> chars = stackalloc char[10];
            value.TryFormat(chars, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < written; i++)
                _utf8[i] = (byte)chars[i];
            Check(raw.sqlite3_bind_text(Statement, ++_index, _utf8.AsSpan(0, written)));
        }

        public override void Write(long value) => Check(raw.sqlite3_bind_int64(Statement, ++_index, value));
        public override void Write(int value) => Check(raw.sqlite3_bind_int64(Statement, ++_index, value));
        public override void Write(bool value) => Check(raw.sqlite3_bind_int64(Statement, ++_index, value ? 1 : 0));
        public override void Write(double value) => Check(raw.sqlite3_bind_double(Statement, ++_index, value));
        public override void Write(DateTimeOffset value) => throw Unsupported("SQLite", typeof(DateTimeOffset));
        public override void Write(decimal value) => throw Unsupported("SQLite", typeof(decimal));

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
                SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }

    /// <summary>
    /// A table as the EF model maps it: the columns an INSERT of a new row writes, and one compiled
    /// writer that reads them from an entity (through EF's converters, as EF would store them) into a sink.
    /// </summary>
    private sealed class Table(string name, IReadOnlyList<string> columns, Action<object, RowSink> write) : IAsyncDisposable
    {
        public string Name { get; } = name;
        public IReadOnlyList<string> Columns { get; } = columns;
        public sqlite3_stmt? Statement { get; set; }

        public void Write(object entity, RowSink sink) => write(entity, sink);

        public static Table Of<T>(HarborDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            var name = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} has no table.");
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var columns = new List<string>();
            var row = Expression.Parameter(typeof(object), "row");
            var sink = Expression.Parameter(typeof(RowSink), "sink");
            var typed = Expression.Variable(typeof(T), "entity");
            var steps = new List<Expression> { Expression.Assign(typed, Expression.Convert(row, typeof(T))) };
            foreach (var property in entity.GetProperties())
            {
                if (property.ValueGenerated != ValueGenerated.Never && property.ClrType != typeof(Guid))
                {
                    // The database numbers the history's rows; anything else it would compute, this writer cannot know.
                    if (property.IsPrimaryKey() && (property.ClrType == typeof(long) || property.ClrType == typeof(int)))
                        continue;
                    throw new NotSupportedException($"{typeof(T).Name}.{property.Name} is generated by the database: the bulk path cannot write it.");
                }

                columns.Add(property.GetColumnName(store) ?? property.Name);
                steps.Add(WriteOne(typed, sink, property));
            }

            var write = Expression.Lambda<Action<object, RowSink>>(Expression.Block([typed], steps), row, sink).Compile();
            return new Table(name, columns, write);
        }

        /// <summary><c>sink.Write(convert(entity.Property))</c>, or <c>sink.WriteNull()</c> when the value is null.</summary>
        private static Expression WriteOne(Expression entity, ParameterExpression sink, IProperty property)
        {
            MemberInfo member = (MemberInfo?)property.PropertyInfo ?? property.FieldInfo
                ?? throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name} has no CLR member: the bulk path cannot read it.");
            Expression value = Expression.MakeMemberAccess(entity, member);
            Expression? isNull = null;
            if (Nullable.GetUnderlyingType(value.Type) is not null)
            {
                isNull = Expression.Not(Expression.Property(value, nameof(Nullable<int>.HasValue)));
                value = Expression.Property(value, nameof(Nullable<int>.Value));
            }
            else if (!value.Type.IsValueType)
            {
                isNull = Expression.ReferenceEqual(value, Expression.Constant(null, value.Type));
            }

            if ((property.GetRelationalTypeMapping().Converter ?? property.GetValueConverter()) is { } converter)
            {
                var convert = converter.ConvertToProviderExpression;
                var input = convert.Parameters[0].Type;
                value = Expression.Invoke(convert, value.Type == input ? value : Expression.Convert(value, input));
                if (Nullable.GetUnderlyingType(value.Type) is { } provider)
                    value = Expression.Convert(value, provider);
            }

            var method = typeof(RowSink).GetMethod(nameof(RowSink.Write), [value.Type])
                ?? throw new NotSupportedException($"The bulk path has no stored form for {value.Type.Name} ({property.DeclaringType.DisplayName()}.{property.Name}): extend BulkCustomers.");
            Expression write = Expression.Call(sink, method, value);
            return isNull is null ? write : Expression.IfThenElse(isNull, Expression.Call(sink, typeof(RowSink).GetMethod(nameof(RowSink.WriteNull))!), write);
        }

        public ValueTask DisposeAsync()
        {
            Statement?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// Version 7 ids for the customers of one bulk write, each greater than the last: the
/// millisecond of <c>now</c>, then a counter in the bits RFC 9562 (6.2, method 1) allows for one,
/// then random bits. <see cref="Guid.CreateVersion7(DateTimeOffset)"/> with one <c>now</c> for a
/// whole import gives ids in random order, so every index that leads with a customer id (the
/// customers' key, the history's, the name grams') took each insert at a random page; in
/// ascending order they append (bench/Harbor.WorkbookBench import).
/// </summary>
public sealed class AscendingIds(DateTimeOffset now)
{
    private readonly Guid _first = Guid.CreateVersion7(now);
    private int _next;
    // The random tails are drawn a thousand at a time: one call to the system's generator per id was
    // 0.36 s of CPU for 100,000 ids (dotnet-trace, docs/benchmarks.md "Session 7, import5").
    private readonly byte[] _random = new byte[6 * 1000];
    private int _randomAt = 6 * 1000;

    public Guid Next()
    {
        var counter = _next++;
        if (counter >= 1 << 26)
            throw new InvalidOperationException("More ids than one bulk write may take.");
        Span<byte> bytes = stackalloc byte[16];
        _first.TryWriteBytes(bytes, bigEndian: true, out _);
        // bytes 0-5: the millisecond; 6-7: version and 12 bits; 8-9: variant and 14 bits; 10-15: random.
        bytes[6] = (byte)(0x70 | ((counter >> 22) & 0x0F));
        bytes[7] = (byte)(counter >> 14);
        bytes[8] = (byte)(0x80 | ((counter >> 8) & 0x3F));
        bytes[9] = (byte)counter;
        if (_randomAt == _random.Length)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(_random);
            _randomAt = 0;
        }

        _random.AsSpan(_randomAt, 6).CopyTo(bytes[10..]);
        _randomAt += 6;
        return new Guid(bytes, bigEndian: true);
    }
}
