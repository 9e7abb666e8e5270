using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Workbook;

/// <summary>A salesperson with a sheet in the master workbook, and the sheet's name.</summary>
public sealed record SheetOwner(Guid Id, string DisplayName, Guid? GroupId, string? Group, bool IsActive, string SheetName);

/// <summary>A customer as a sheet shows it.</summary>
public sealed record SheetRow(Guid Id, Guid OwnerId, string Name, string NameKey, string? ContactName, string? Phone, string? Stage,
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
    /// Every owned customer of the given salespeople, grouped by owner in their order, at most
    /// <paramref name="pageSize"/> rows in memory at a time: small sheets are read several to a
    /// query, a sheet larger than a page is read alone with a keyset over its sort order.
    /// </summary>
    public static async IAsyncEnumerable<(SheetOwner Owner, IReadOnlyList<SheetRow> Rows)> PagesAsync(
        HarborDbContext db, IReadOnlyList<SheetOwner> owners, int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        pageSize = Math.Max(1, pageSize);
        var ids = owners.Select(o => o.Id).ToList();
        var counts = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && ids.Contains(c.OwnerId.Value))
            .GroupBy(c => c.OwnerId!.Value)
            .Select(g => new { Owner = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Owner, g => g.Count, ct);

        var batch = new List<SheetOwner>();
        var batchRows = 0;
        foreach (var owner in owners)
        {
            var count = counts.GetValueOrDefault(owner.Id);
            if (count > pageSize)
            {
                await foreach (var page in FlushAsync())
                    yield return page;
                await foreach (var page in LargeSheetAsync(db, owner, pageSize, ct))
                    yield return (owner, page);
                continue;
            }

            if (batchRows + count > pageSize)
                await foreach (var page in FlushAsync())
                    yield return page;
            batch.Add(owner);
            batchRows += count;
        }

        await foreach (var page in FlushAsync())
            yield return page;

        async IAsyncEnumerable<(SheetOwner, IReadOnlyList<SheetRow>)> FlushAsync()
        {
            if (batch.Count == 0)
                yield break;
            var batchIds = batch.Select(o => o.Id).ToList();
            var rows = await Ordered(db.Customers.AsNoTracking().Where(c => c.OwnerId != null && batchIds.Contains(c.OwnerId.Value)))
                .Select(Projection).ToListAsync(ct);
            var byOwner = rows.ToLookup(r => r.OwnerId);
            foreach (var owner in batch)
                yield return (owner, byOwner[owner.Id].ToList());
            batch.Clear();
            batchRows = 0;
        }
    }

    /// <summary>One salesperson's customers, for their own sheet.</summary>
    public static IAsyncEnumerable<IReadOnlyList<SheetRow>> SheetOfAsync(HarborDbContext db, SheetOwner owner, int pageSize, CancellationToken ct) =>
        LargeSheetAsync(db, owner, Math.Max(1, pageSize), ct);

    /// <summary>Unsigned customers first, soonest due first, then signed ones; ties by name key (unique).</summary>
    private static IQueryable<Customer> Ordered(IQueryable<Customer> query) => query
        .OrderBy(c => c.Status == CustomerStatus.Signed)
        .ThenBy(c => c.DueOn ?? DateOnly.MinValue)
        .ThenBy(c => c.NameKey);

    private static readonly System.Linq.Expressions.Expression<Func<Customer, SheetRow>> Projection = c =>
        new SheetRow(c.Id, c.OwnerId!.Value, c.Name, c.NameKey, c.ContactName, c.Phone, c.Stage, c.StartsOn, c.DueOn, c.Status);

    private static async IAsyncEnumerable<IReadOnlyList<SheetRow>> LargeSheetAsync(HarborDbContext db, SheetOwner owner, int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var signed in new[] { false, true })
        {
            DateOnly afterDue = DateOnly.MinValue;
            string? afterKey = null;
            while (true)
            {
                var query = db.Customers.AsNoTracking().Where(c => c.OwnerId == owner.Id && (c.Status == CustomerStatus.Signed) == signed);
                if (afterKey is not null)
                {
                    var due = afterDue;
                    var key = afterKey;
                    query = query.Where(c => (c.DueOn ?? DateOnly.MinValue) > due
                        || ((c.DueOn ?? DateOnly.MinValue) == due && string.Compare(c.NameKey, key) > 0));
                }

                var page = await query.OrderBy(c => c.DueOn ?? DateOnly.MinValue).ThenBy(c => c.NameKey)
                    .Take(pageSize).Select(Projection).ToListAsync(ct);
                if (page.Count > 0)
                    yield return page;
                if (page.Count < pageSize)
                    break;
                afterDue = page[^1].DueOn ?? DateOnly.MinValue;
                afterKey = page[^1].NameKey;
            }
        }
    }

    /// <summary>The eight columns of a customer row; contacts masked for whoever may not see them (issue 3).</summary>
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
