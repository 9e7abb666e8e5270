using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Harbor.Web.Features.Workbook;

/// <summary>A salesperson with a sheet in the master workbook, and the sheet's name.</summary>
public sealed record SheetOwner(Guid Id, string DisplayName, Guid? GroupId, string? Group, bool IsActive, string SheetName);

/// <summary>A customer as a sheet shows it.</summary>
public sealed record SheetRow(Guid OwnerId, string Name, string NameKey, string? ContactName, string? Phone, string? Stage,
    DateOnly? StartsOn, DateOnly? DueOn, CustomerStatus Status);

/// <summary>A produced workbook: a temporary file, deleted when the stream is closed.</summary>
public sealed record WorkbookFile(Stream Content, string FileName, int Rows)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

/// <summary>
/// The master workbook's sheets (rule 5), shared by the export, the salesperson's own sheet and
/// the reconciliation: who has a sheet and under what name, and their customers page by page.
/// </summary>
public static class MasterSheets
{
    /// <summary>
    /// Salespeople in sheet order (group, then name), each with a safe, unique sheet name. A
    /// leaver still holding customers keeps a sheet until the hand-over is done. The summary's
    /// names in both languages are reserved so the assignment does not depend on the language.
    /// </summary>
    public static async Task<List<SheetOwner>> OwnersAsync(HarborDbContext db, CancellationToken ct)
    {
        var people = await db.Users.AsNoTracking()
            .Where(u => u.Role == Role.Salesperson && (u.IsActive || db.Customers.Any(c => c.OwnerId == u.Id)))
            .Select(u => new { u.Id, u.DisplayName, u.GroupId, Group = u.Group!.Name, u.IsActive })
            .ToListAsync(ct);
        // Sorted here, not in SQL, so both engines give the same order and so the same sheet names.
        var ordered = people
            .OrderBy(p => p.Group is null).ThenBy(p => p.Group, StringComparer.Ordinal)
            .ThenBy(p => p.DisplayName, StringComparer.Ordinal).ThenBy(p => p.Id)
            .ToList();
        var names = SheetNames.Assign(ordered.Select(p => p.DisplayName),
            [WorkbookText.SummaryName(SheetLanguage.Chinese), WorkbookText.SummaryName(SheetLanguage.English)]);
        return [.. ordered.Select((p, i) => new SheetOwner(p.Id, p.DisplayName, p.GroupId, p.Group, p.IsActive, names[i]))];
    }

    /// <summary>
    /// The salesperson an uploaded sheet belongs to: the sheet name Harbor's own export gives
    /// them first (so an exported workbook comes back to the same people, "张三 (2)" included),
    /// then their display name, as typed or as made safe for Excel. Two people of that name and
    /// no exported name to tell them apart: ambiguous.
    /// </summary>
    public static (SheetOwner? Owner, bool Ambiguous) OwnerOf(string sheetName, IReadOnlyList<SheetOwner> owners)
    {
        var name = sheetName.Trim();
        var exported = owners.FirstOrDefault(o => o.SheetName.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (exported is not null)
            return (exported, false);
        var byName = owners.Where(o => o.DisplayName.Trim().Equals(name, StringComparison.OrdinalIgnoreCase)
            || SheetNames.Safe(o.DisplayName).Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count switch
        {
            1 => (byName[0], false),
            0 => (null, false),
            _ => (null, true),
        };
    }

    /// <summary>
    /// Every owned customer of the given salespeople, grouped by owner in their order. Whole
    /// sheets are read a batch at a time, at most <paramref name="pageSize"/> rows (a single
    /// sheet larger than that is read alone), so memory holds a page, never the registry.
    /// </summary>
    public static async IAsyncEnumerable<(SheetOwner Owner, IReadOnlyList<SheetRow> Rows)> PagesAsync(
        HarborDbContext db, IReadOnlyList<SheetOwner> owners, int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        pageSize = Math.Max(1, pageSize);
        // Every owner of a customer has a sheet (OwnersAsync keeps leavers who still hold some),
        // so the count needs no filter: one pass over the (OwnerId, Status) index.
        var counts = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null)
            .GroupBy(c => c.OwnerId!.Value)
            .Select(g => new { Owner = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Owner, g => g.Count, ct);

        var batch = new List<SheetOwner>();
        var batchRows = 0;
        foreach (var owner in owners)
        {
            var count = counts.GetValueOrDefault(owner.Id);
            if (batch.Count > 0 && (batchRows + count > pageSize || batch.Count == MaxOwnersPerQuery))
            {
                foreach (var page in await ReadAsync(db, batch, ct))
                    yield return page;
                batch.Clear();
                batchRows = 0;
            }

            batch.Add(owner);
            batchRows += count;
        }

        foreach (var page in await ReadAsync(db, batch, ct))
            yield return page;
    }

    /// <summary>One salesperson's customers, for their own sheet.</summary>
    public static async Task<IReadOnlyList<SheetRow>> SheetOfAsync(HarborDbContext db, SheetOwner owner, CancellationToken ct) =>
        (await ReadAsync(db, [owner], ct)).Single().Rows;

    // SQLite allows 32,766 parameters and PostgreSQL 65,535: far below either.
    private const int MaxOwnersPerQuery = 500;

    /// <summary>
    /// Keys per <c>Contains</c> query when matching an upload against the registry: EF Core 10
    /// sends a list as one parameter per item, and a 100,000-row workbook went past SQLite's
    /// 32,766 (bench/Harbor.WorkbookBench import).
    /// </summary>
    public const int KeysPerQuery = 2000;

    /// <summary>
    /// The status as its number, computed by the database from the stored name: reading the name
    /// cost a string and a lookup a row. An unknown name reads as -1 and fails the export.
    /// </summary>
    private static readonly string StatusNumber =
        "CASE \"Status\" " + string.Concat(Enum.GetValues<CustomerStatus>().Select(s =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"WHEN '{s}' THEN {(int)s} "))) + "ELSE -1 END";

    /// <summary>
    /// The customers of a batch of salespeople, each sheet sorted: unsigned first, soonest due
    /// first, then by name key. Read with a plain data reader: this is the export's hot loop,
    /// and EF's materialisation cost twice the reading itself (bench/Harbor.WorkbookBench). The owner
    /// ids are bound through EF's own type mapping, so each engine gets its stored form.
    /// </summary>
    private static async Task<List<(SheetOwner Owner, IReadOnlyList<SheetRow> Rows)>> ReadAsync(
        HarborDbContext db, List<SheetOwner> owners, CancellationToken ct)
    {
        if (owners.Count == 0)
            return [];
        var mapping = db.Model.FindEntityType(typeof(Customer))!.FindProperty(nameof(Customer.OwnerId))!.GetRelationalTypeMapping();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
            await db.Database.OpenConnectionAsync(ct);
        var rows = new Dictionary<Guid, List<SheetRow>>(owners.Count);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var names = new string[owners.Count];
            for (var i = 0; i < owners.Count; i++)
            {
                names[i] = "@o" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                command.Parameters.Add(mapping.CreateParameter(command, names[i], owners[i].Id, nullable: false));
                rows[owners[i].Id] = [];
            }

            // Every value comes back non-null and as cheap to read as the engine allows (texts
            // as '' for none, days as numbers, the status as a number): on SQLite each provider
            // call is a few native calls, and IsDBNull, GetValue and parsing a day's text were
            // most of them (bench/Harbor.Bench workbook; docs/benchmarks.md, Session 5, export3).
            var sqlite = db.Database.IsSqlite();
            command.CommandText =
                $"SELECT \"OwnerId\", \"Name\", \"NameKey\", COALESCE(\"ContactName\", ''), COALESCE(\"Phone\", ''), COALESCE(\"Stage\", ''), " +
                $"{DayNumber("StartsOn", sqlite)}, {DayNumber("DueOn", sqlite)}, {StatusNumber} " +
                $"FROM \"Customers\" WHERE \"OwnerId\" IN ({string.Join(", ", names)})";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var ownerId = reader.GetGuid(0);
                rows[ownerId].Add(new SheetRow(
                    ownerId,
                    reader.GetString(1),
                    reader.GetString(2),
                    TextOf(reader.GetString(3)),
                    TextOf(reader.GetString(4)),
                    TextOf(reader.GetString(5)),
                    DayOf(reader.GetInt32(6)),
                    DayOf(reader.GetInt32(7)),
                    StatusOf(reader.GetInt32(8))));
            }
        }
        finally
        {
            if (opened)
                await db.Database.CloseConnectionAsync();
        }

        return [.. owners.Select(o =>
        {
            var sheet = rows[o.Id];
            sheet.Sort(SheetOrder);
            return (o, (IReadOnlyList<SheetRow>)sheet);
        })];
    }

    // A day as days since Excel's day 0 (1899-12-30), computed by the database: SQLite keeps it
    // as yyyy-MM-dd text (julianday reads it; 1899-12-30 is Julian day 2415018.5), PostgreSQL as
    // a date (a difference of dates is days). None is NoDay, before any DateOnly.
    private const int NoDay = -1_000_000;
    private static readonly int ExcelDayZero = new DateOnly(1899, 12, 30).DayNumber;

    private static string DayNumber(string column, bool sqlite) => sqlite
        ? $"COALESCE(CAST(julianday(\"{column}\") - 2415018.5 AS INTEGER), {NoDay})"
        : $"COALESCE(\"{column}\" - DATE '1899-12-30', {NoDay})";

    private static DateOnly? DayOf(int number) => number == NoDay ? null : DateOnly.FromDayNumber(ExcelDayZero + number);

    private static string? TextOf(string text) => text.Length == 0 ? null : text;

    private static CustomerStatus StatusOf(int number) => Enum.IsDefined((CustomerStatus)number)
        ? (CustomerStatus)number
        : throw new InvalidDataException("A customer's stored status is not one Harbor knows.");

    /// <summary>Unsigned before signed, soonest due first, then by name key (unique), ordinally on both engines.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int SheetOrder(SheetRow a, SheetRow b)
    {
        var signed = (a.Status == CustomerStatus.Signed).CompareTo(b.Status == CustomerStatus.Signed);
        if (signed != 0)
            return signed;
        var due = Nullable.Compare(a.DueOn, b.DueOn);
        return due != 0 ? due : string.CompareOrdinal(a.NameKey, b.NameKey);
    }

    /// <summary>The eight columns of a customer row; contacts masked for whoever may not see them (issue 3).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Fill(Span<XlsxCell> cells, SheetRow row, bool masked, DateOnly today, SheetLanguage language)
    {
        cells[0] = XlsxCell.Of(row.Name);
        cells[1] = XlsxCell.Of(masked ? Masking.Name(row.ContactName) : row.ContactName);
        cells[2] = XlsxCell.Of(masked ? Masking.Phone(row.Phone) : row.Phone);
        cells[3] = XlsxCell.Of(WorkbookText.Stage(row.Stage, language));
        cells[4] = XlsxCell.Of(row.StartsOn);
        cells[5] = XlsxCell.Of(row.DueOn);
        cells[6] = XlsxCell.Of(row.Status.UsesSlot() && row.DueOn is { } due ? due.DayNumber - today.DayNumber : null);
        cells[7] = XlsxCell.Of(WorkbookText.Status(row.Status, language));
    }

    /// <summary>A temporary file that disappears when closed, so a large export never sits in memory.</summary>
    public static FileStream TemporaryFile() => new(
        Path.Combine(Path.GetTempPath(), $"harbor-{Guid.NewGuid():N}.xlsx"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
}
