using System.Text.Json;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Workbook;

public sealed record ReconcileSalesperson(Guid Id, string DisplayName, string? Group);

public sealed record ReconcileRow(int Row, string? Customer, Guid CustomerId);

/// <summary>A row whose customer the master does not give to the sheet's salesperson.</summary>
public sealed record ReconcileClaim(int Row, string? Customer, Guid? CustomerId, string Master, string? Holder, string? Group);

public sealed record ReconcileMissing(Guid CustomerId, string Customer, CustomerStatus Status, DateOnly? DueOn, string? Stage);

public sealed record ReconcileDifference(int Row, Guid CustomerId, string Customer, string Field, string? Sheet, string? Master);

public sealed record ReconcileUnreadable(int Row, string Reason);

public sealed record ReconcileSheet(
    string Sheet,
    ReconcileSalesperson? Salesperson,
    int Rows,
    IReadOnlyList<ReconcileRow> Matching,
    IReadOnlyList<ReconcileClaim> HeldByOthers,
    IReadOnlyList<ReconcileClaim> HeldByNobody,
    IReadOnlyList<ReconcileMissing> MissingFromSheet,
    IReadOnlyList<ReconcileDifference> Differences,
    IReadOnlyList<ReconcileRow> Duplicates,
    IReadOnlyList<ReconcileUnreadable> Unreadable);

public sealed record ReconcileResponse(DateOnly AsOf, IReadOnlyList<ReconcileSheet> Sheets, IReadOnlyList<SkippedSheet> SkippedSheets);

/// <summary>
/// Rule 5: a sheet edited outside Harbor (a salesperson's, or a whole workbook) against the
/// master. Rows are matched as the conflict check matches: credit code first, then the
/// normalised name, then the phone. The answer lists, per sheet, what agrees, what the sheet
/// claims that the master gives to someone else or to nobody, what the master has that the
/// sheet lacks, and due dates or stages that differ. Nothing is written: the master wins.
/// </summary>
public sealed class ReconcileWorkbook(HarborDbContext db, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    private sealed record MasterCustomer(Guid Id, string Name, string NameKey, string? PhoneKey, string? CreditCodeKey, Guid? OwnerId,
        CustomerStatus Status, DateOnly? DueOn, string? Stage);

    private sealed record Keys(string? Name, string? Phone, string? CreditCode)
    {
        public static Keys Of(UploadedRow row)
        {
            var name = row.Customer is null ? null : CompanyName.Key(row.Customer);
            return new Keys(string.IsNullOrEmpty(name) ? null : name, LibPhoneNumberParser.Keys.Key(row.Phone), Domain.Duplicates.CreditCode.Key(row.CreditCode));
        }

        public bool IsEmpty => Name is null && Phone is null && CreditCode is null;
    }

    public async Task<ReconcileResponse> HandleAsync(UploadedBook book, CancellationToken ct)
    {
        var today = calendar.DayOf(clock.GetUtcNow());
        var owners = await MasterSheets.OwnersAsync(db, ct);
        var byId = owners.ToDictionary(o => o.Id);
        var sheetOwners = book.Sheets.ToDictionary(s => s.Name, s => MasterSheets.OwnerOf(s.Name, owners).Owner);

        // Each row made once from the upload (which keeps them packed) and known by that object.
        var sheetRows = book.Sheets.ToDictionary(s => s.Name, s => s.Rows.ToList());
        var rowKeys = new Dictionary<UploadedRow, Keys>(ReferenceEqualityComparer.Instance);
        foreach (var row in sheetRows.Values.SelectMany(rows => rows))
            rowKeys[row] = Keys.Of(row);
        var names = rowKeys.Values.Select(k => k.Name).OfType<string>().Distinct().ToList();
        var phones = rowKeys.Values.Select(k => k.Phone).OfType<string>().Distinct().ToList();
        var codes = rowKeys.Values.Select(k => k.CreditCode).OfType<string>().Distinct().ToList();
        var ownerIds = sheetOwners.Values.OfType<SheetOwner>().Select(o => o.Id).Distinct().ToList();

        // Everything the answer can mention, in four kinds of read: the customers the rows name, and
        // every customer of the salespeople whose sheets were sent.
        var customers = new Dictionary<Guid, MasterCustomer>();
        // In chunks: EF Core 10 sends each key as a parameter (see MasterSheets.KeysPerQuery).
        var queries = names.Chunk(MasterSheets.KeysPerQuery).Select(chunk => db.Customers.Where(c => chunk.Contains(c.NameKey)))
            .Concat(phones.Chunk(MasterSheets.KeysPerQuery).Select(chunk => db.Customers.Where(c => c.PhoneKey != null && chunk.Contains(c.PhoneKey))))
            .Concat(codes.Chunk(MasterSheets.KeysPerQuery).Select(chunk => db.Customers.Where(c => c.CreditCodeKey != null && chunk.Contains(c.CreditCodeKey))))
            .Concat(ownerIds.Chunk(MasterSheets.KeysPerQuery).Select(chunk => db.Customers.Where(c => c.OwnerId != null && chunk.Contains(c.OwnerId.Value))));
        foreach (var query in queries)
        {
            var found = await query.AsNoTracking()
                .Select(c => new MasterCustomer(c.Id, c.Name, c.NameKey, c.PhoneKey, c.CreditCodeKey, c.OwnerId, c.Status, c.DueOn, c.Stage))
                .ToListAsync(ct);
            foreach (var customer in found)
                customers.TryAdd(customer.Id, customer);
        }

        var byName = customers.Values.ToDictionary(c => c.NameKey);
        var byPhone = customers.Values.Where(c => c.PhoneKey is not null).ToDictionary(c => c.PhoneKey!);
        var byCode = customers.Values.Where(c => c.CreditCodeKey is not null).ToDictionary(c => c.CreditCodeKey!);
        MasterCustomer? Find(Keys keys) =>
            (keys.CreditCode is not null ? byCode.GetValueOrDefault(keys.CreditCode) : null)
            ?? (keys.Name is not null ? byName.GetValueOrDefault(keys.Name) : null)
            ?? (keys.Phone is not null ? byPhone.GetValueOrDefault(keys.Phone) : null);

        var sheets = new List<ReconcileSheet>();
        foreach (var sheet in book.Sheets)
        {
            var owner = sheetOwners[sheet.Name];
            var matching = new List<ReconcileRow>();
            var heldByOthers = new List<ReconcileClaim>();
            var heldByNobody = new List<ReconcileClaim>();
            var differences = new List<ReconcileDifference>();
            var duplicates = new List<ReconcileRow>();
            var unreadable = new List<ReconcileUnreadable>();
            var seen = new HashSet<Guid>();

            foreach (var row in sheetRows[sheet.Name])
            {
                var keys = rowKeys[row];
                if (keys.IsEmpty)
                {
                    unreadable.Add(new ReconcileUnreadable(row.Row, "no customer name, phone or credit code to match on"));
                    continue;
                }

                var master = Find(keys);
                if (master is null)
                {
                    heldByNobody.Add(new ReconcileClaim(row.Row, row.Customer, null, "not-registered", null, null));
                    continue;
                }

                if (!seen.Add(master.Id))
                {
                    duplicates.Add(new ReconcileRow(row.Row, row.Customer, master.Id));
                    continue;
                }

                if (owner is not null && master.OwnerId == owner.Id)
                {
                    matching.Add(new ReconcileRow(row.Row, row.Customer, master.Id));
                    Compare(sheet, row, master, differences);
                }
                else if (master.OwnerId is { } holderId)
                {
                    var holder = byId.GetValueOrDefault(holderId);
                    heldByOthers.Add(new ReconcileClaim(row.Row, row.Customer, master.Id, Kebab(master.Status), holder?.DisplayName, holder?.Group));
                }
                else
                {
                    heldByNobody.Add(new ReconcileClaim(row.Row, row.Customer, master.Id, Kebab(master.Status), null, null));
                }
            }

            var missing = owner is null
                ? []
                : customers.Values.Where(c => c.OwnerId == owner.Id && !seen.Contains(c.Id))
                    .OrderBy(c => c.Status == CustomerStatus.Signed).ThenBy(c => c.DueOn).ThenBy(c => c.NameKey, StringComparer.Ordinal)
                    .Select(c => new ReconcileMissing(c.Id, c.Name, c.Status, c.DueOn, c.Stage)).ToList();
            sheets.Add(new ReconcileSheet(
                sheet.Name,
                owner is null ? null : new ReconcileSalesperson(owner.Id, owner.DisplayName, owner.Group),
                sheet.Rows.Count, matching, heldByOthers, heldByNobody, missing, differences, duplicates, unreadable));
        }

        return new ReconcileResponse(today, sheets, book.Skipped);
    }

    /// <summary>
    /// The due date and the stage, where the sheet has the column: a blank cell against a value
    /// in the master is a difference too. Stages compare by meaning (签约收款 is signed).
    /// </summary>
    private void Compare(UploadedSheet sheet, UploadedRow row, MasterCustomer master, List<ReconcileDifference> differences)
    {
        if (sheet.Fields.Contains(SheetField.Due) && row.Due != master.DueOn)
            differences.Add(new ReconcileDifference(row.Row, master.Id, master.Name, "due", Iso(row.Due), Iso(master.DueOn)));
        if (sheet.Fields.Contains(SheetField.Stage))
        {
            var stage = row.Stage is null ? null : WorkbookText.ParseStage(row.Stage, policy) ?? row.Stage;
            if (stage != master.Stage)
                differences.Add(new ReconcileDifference(row.Row, master.Id, master.Name, "stage", row.Stage, master.Stage));
        }
    }

    private static string? Iso(DateOnly? day) => day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Kebab(CustomerStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
}
