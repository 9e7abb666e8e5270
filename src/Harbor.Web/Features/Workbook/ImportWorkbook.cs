using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Workbook;

/// <param name="FileName">The uploaded file's name, kept with the report.</param>
public sealed record ImportRequest(bool DryRun, bool SkipRejected, string? FileName = null);

/// <summary>One row's fate: imported (with its protection) or rejected (with a reason code and words).</summary>
public sealed record ImportLine(
    string Sheet,
    int Row,
    string? Customer,
    string Outcome,
    string? Reason,
    string? Detail,
    Guid? CustomerId,
    string? Salesperson,
    CustomerStatus? Status,
    DateOnly? StartsOn,
    DateOnly? DueOn);

public sealed record ImportSheetSummary(string Sheet, Guid? SalespersonId, string? Salesperson, int Imported, int Rejected);

/// <summary>
/// The report: <c>dry-run</c> (nothing written), <c>imported</c> (every accepted row written in
/// one transaction), or <c>refused</c> (rows were rejected and the admin did not choose to skip
/// them, so nothing was written). <see cref="ReportId"/> names the kept copy
/// (<c>GET /api/workbook/imports/{id}/report</c>).
/// </summary>
public sealed record ImportReport(
    string Result,
    int Imported,
    int Rejected,
    IReadOnlyList<ImportSheetSummary> Sheets,
    IReadOnlyList<ImportLine> Rows,
    IReadOnlyList<SkippedSheet> SkippedSheets,
    Guid? ReportId = null);

/// <summary>The report, and the rejected rows as they were uploaded (for the xlsx of rejected rows).</summary>
public sealed record ImportOutcome(ImportReport Report, IReadOnlyList<(UploadedRow Row, ImportLine Line)> Rejected);

/// <summary>
/// Bringing a company in: its master workbook into an empty or partly filled Harbor. Each sheet
/// names a salesperson; each row becomes a customer protected from the sheet's start date (today
/// if blank) under them, due start + ProtectionDays, through the same domain rules as a
/// registration (details, conflict check, slot limit, stages), the events recorded with the
/// admin as actor. A customer already past due when imported stays with its owner until the
/// next publication time and is then published, as the sweep would have done had Harbor been
/// running (docs: README, "The master workbook"). A row marked with the last stage is imported
/// signed and takes no slot. The import is one transaction; with any row rejected nothing is
/// written unless the admin asks to skip the rejected rows.
/// </summary>
public sealed class ImportWorkbook(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar, IOptions<HarborOptions> options)
{
    public const string ImportedReason = "imported from the master workbook";

    private sealed record Existing(Guid Id, string NameKey, string? PhoneKey, string? CreditCodeKey, Guid? OwnerId, CustomerStatus Status);

    public async Task<ImportOutcome> HandleAsync(Viewer admin, UploadedBook book, ImportRequest request, CancellationToken ct)
    {
        var outcome = await RunAsync(admin, book, request, ct);
        return outcome with { Report = outcome.Report with { ReportId = await KeepAsync(admin, outcome.Report, request.FileName, ct) } };
    }

    /// <summary>
    /// Every run's report is kept for the admin to download later, a refused or dry run too. It is
    /// written after the import's own transaction, so that compressing a large report never holds
    /// the write lock the registrations wait on; a report lost to a crash in between is the price.
    /// </summary>
    private async Task<Guid> KeepAsync(Viewer admin, ImportReport report, string? fileName, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = new ImportRecord
        {
            Id = Guid.CreateVersion7(now),
            At = now,
            ActorId = admin.Id,
            FileName = fileName is { Length: > ImportRecord.MaxFileNameLength } ? fileName[..ImportRecord.MaxFileNameLength] : fileName,
            Result = report.Result,
            Imported = report.Imported,
            Rejected = report.Rejected,
            Sheets = report.Sheets.Count,
            Report = ImportReports.Compress(report, new ImportMemory(options.Value.Workbook.ImportCollectEveryMegabytes)),
        };
        db.ChangeTracker.Clear();
        await db.WriteAsync<bool>(gate, () =>
        {
            db.ImportRecords.Add(record);
            return Task.FromResult<Result<bool>>(true);
        }, ct);
        return record.Id;
    }

    private async Task<ImportOutcome> RunAsync(Viewer admin, UploadedBook book, ImportRequest request, CancellationToken ct)
    {
        if (request.DryRun)
            return await PlanAsync(admin, book, "dry-run", null, stopWritingOnReject: false, ct);

        ImportOutcome? result = null;
        await db.WriteAloneAsync<bool>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var owners = await MasterSheets.OwnersAsync(db, ct);
            // Queue behind registrations for the same salespeople (ADR-003) before counting slots.
            // Each sheet's owner found once (200 sheets against 200 people was 40,000 name matches), locked in the people's order.
            var onSheets = book.Sheets.Select(s => MasterSheets.OwnerOf(s.Name, owners).Owner?.Id).OfType<Guid>().ToHashSet();
            foreach (var owner in owners.Where(o => onSheets.Contains(o.Id)))
                await db.LockSalespersonAsync(owner.Id, ct);

            ImportOutcome planned;
            // Written in bulk in this transaction as the rows are decided (still all or nothing):
            // EF Core's per-entity inserts of 100,000 customers, their events and name grams took
            // 60-90 s of CPU, and deciding every row before writing any kept them all in memory.
            await using (var bulk = new BulkCustomers(db))
            {
                planned = await PlanAsync(admin, book, "imported", bulk, stopWritingOnReject: !request.SkipRejected, ct);
                if (planned.Report.Rejected > 0 && !request.SkipRejected)
                {
                    // A refusal rolls the transaction back, the rows written so far with it; the
                    // report travels beside it, naming no customer since none was kept.
                    var lines = ((ImportLines)planned.Report.Rows).WithoutIds();
                    result = planned with { Report = planned.Report with { Result = "refused", Rows = lines } };
                    return new Refusal.Forbidden("rows rejected");
                }

                await bulk.FlushAsync(ct);
            }

            var involved = planned.Report.Sheets.Where(s => s.Imported > 0 && s.SalespersonId is not null).Select(s => s.SalespersonId!.Value).Distinct().ToList();
            foreach (var salesperson in await db.Users.Where(u => involved.Contains(u.Id)).ToListAsync(ct))
                salesperson.SlotVersion++; // a concurrent registration that counted the same slots loses

            db.Audit(now, admin.Id, AuditActions.Import, null,
                $"master workbook: {planned.Report.Imported} imported, {planned.Report.Rejected} rejected, {book.Sheets.Count} sheets");
            result = planned;
            return true;
        }, ct);
        return result!;
    }

    /// <summary>Rows from which the memory the upload's reading freed is given back before they are decided (<see cref="ImportMemory.Release"/>, a full collection).</summary>
    private const int ReleaseAfterReadingFrom = 10_000;

    /// <summary>Rows decided (and validated, and matched against the registry) a window at a time, so only a window's details are alive.</summary>
    private const int RowsPerWindow = 5000;

    /// <summary>
    /// Decides every row, in file order, against the registry as it was when the import began;
    /// with <paramref name="bulk"/>, writes each accepted row as it is decided. Rows are validated
    /// and looked up a window at a time, so what stays alive is the report's lines and the keys
    /// of the rows accepted so far (the file cannot hold a customer twice), not every row's details.
    /// </summary>
    /// <param name="stopWritingOnReject">The import will be refused if any row is rejected: after the first, write nothing more (the rollback removes the rest).</param>
    private async Task<ImportOutcome> PlanAsync(Viewer admin, UploadedBook book, string result, BulkCustomers? bulk, bool stopWritingOnReject, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var owners = await MasterSheets.OwnersAsync(db, ct);
        var inactive = await db.Users.AsNoTracking().Where(u => u.Role == Role.Salesperson && !u.IsActive).Select(u => u.DisplayName).ToListAsync(ct);
        var slotsUsed = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && (c.Status == CustomerStatus.Protected || c.Status == CustomerStatus.PendingReview))
            .GroupBy(c => c.OwnerId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var holders = owners.ToDictionary(o => o.Id);
        // A master has a handful of distinct stages and start days among its 100,000 rows.
        var stages = new Dictionary<string, string?>(StringComparer.Ordinal);
        var terms = new Dictionary<DateOnly, (ProtectionTerm Signed, ProtectionTerm Unsigned, string? Note)>();

        // The registry's customers that share a key with a row looked up so far. The customers
        // this import writes are left out: a later row naming one of them is a duplicate within
        // the file, as it was when every row was decided before any was written.
        var existing = new Dictionary<Key, Existing>();
        var written = new HashSet<Guid>();
        // A registry this small (an empty one above all, a company's first import) is read whole
        // once: each window's lookup cost 20-60 ms even on an empty table, about 1 s of a 100,000-row
        // plan (EF serialising 5,000 keys into the JSON parameter, SQLite parsing it back), while
        // reading a few thousand customers' keys costs less than one such lookup. Nothing is written yet.
        var wholeRegistry = await db.Customers.CountAsync(ct) <= options.Value.Workbook.ImportWholeRegistryUpTo;
        if (wholeRegistry)
            Remember(await db.Customers.AsNoTracking().Select(c => new Existing(c.Id, c.NameKey, c.PhoneKey, c.CreditCodeKey, c.OwnerId, c.Status)).ToListAsync(ct), existing, written);
        // Keys taken by rows accepted earlier in this file: the file cannot hold a customer twice.
        var total = book.Sheets.Sum(s => s.Rows.Count);
        var claimed = new ClaimedKeys(capacity: total * 2);
        var memory = new ImportMemory(options.Value.Workbook.ImportCollectEveryMegabytes);
        // A large upload's reading left the GC holding its freed memory; a small one left little to give back.
        if (total >= ReleaseAfterReadingFrom)
            memory.Release();
        var lines = new ImportLines(book.Sheets, total, memory);
        var rejected = new List<(UploadedRow, ImportLine)>();
        var sheets = new List<ImportSheetSummary>();
        var accepted = 0;
        var ids = new AscendingIds(now);
        var firstDue = calendar.DayOf(calendar.NextPublicationAfter(now));
        // The same words for every row already past due: one string, not one per row.
        var pastDue = $"Already past due: protected until {calendar.PublicationOn(firstDue):yyyy-MM-dd HH:mm}, then published.";

        // Each row is made from the upload once (it is kept packed, see UploadedWorkbook.PackedRows)
        // and travels with its validation in the window, by its place there: a dictionary keyed by the
        // row (a record's hash reads all ten of its fields) cost a third of the planning (bench/Harbor.WorkbookBench import).
        using var ahead = book.Sheets.SelectMany(s => s.Rows).GetEnumerator();
        var window = (Rows: Array.Empty<UploadedRow>(), Details: Array.Empty<Result<ValidCustomerDetails>>());
        int windowStart = 0, windowCount = 0, index = 0;

        // The next window is validated on another thread while this one is looked up, decided and
        // written: validation (the phone parser above all) is about 0.9 s of CPU for 100,000 rows and
        // needs nothing but the row, and the machine has a second core the SQLite writer leaves idle.
        Task<(UploadedRow[] Rows, Result<ValidCustomerDetails>[] Details)> ValidateNext()
        {
            var rows = new List<UploadedRow>(RowsPerWindow);
            while (rows.Count < RowsPerWindow && ahead.MoveNext())
                rows.Add(ahead.Current);
            if (rows.Count == 0)
                return Task.FromResult((Array.Empty<UploadedRow>(), Array.Empty<Result<ValidCustomerDetails>>()));
            var taken = rows.ToArray();
            return Task.Run(() => (taken, Array.ConvertAll(taken, static r =>
                new CustomerDetails(r.Customer, r.Phone, r.CreditCode, r.Contact, r.Address, r.Notes).Validate(LibPhoneNumberParser.Keys))), ct);
        }

        var next = ValidateNext();

        for (var sheetIndex = 0; sheetIndex < book.Sheets.Count; sheetIndex++)
        {
            var sheet = book.Sheets[sheetIndex];
            var (owner, ambiguous) = MasterSheets.OwnerOf(sheet.Name, owners);
            lines.Salesperson(sheetIndex, owner?.DisplayName);
            int imported = 0, refused = 0;
            for (var rowIndex = 0; rowIndex < sheet.Rows.Count; rowIndex++)
            {
                if (index == windowStart + windowCount)
                {
                    windowStart = index;
                    window = await next;
                    windowCount = window.Rows.Length;
                    next = ValidateNext();
                    if (!wholeRegistry)
                        await LookUpAsync(window.Details, existing, written, ct);
                }

                if (index % 500 == 0)
                    memory.Bound();
                var row = window.Rows[index - windowStart];
                var details = window.Details[index++ - windowStart];

                void Reject(string reason, string detail)
                {
                    lines.Rejected(sheetIndex, rowIndex, reason, detail);
                    rejected.Add((row, new ImportLine(sheet.Name, row.Row, row.Customer, "rejected", reason, detail, null, owner?.DisplayName, null, null, null)));
                    refused++;
                    if (stopWritingOnReject)
                        bulk = null;
                }

                string? stage = null;
                if (owner is null)
                {
                    if (ambiguous)
                        Reject("ambiguous-salesperson", $"More than one salesperson is called '{sheet.Name}': rename the sheet as Harbor's export names it.");
                    else if (inactive.Any(n => n.Trim().Equals(sheet.Name.Trim(), StringComparison.OrdinalIgnoreCase)))
                        Reject("salesperson-inactive", $"'{sheet.Name}' has left: import their customers under someone else.");
                    else
                        Reject("unknown-salesperson", $"No salesperson is called '{sheet.Name}'.");
                }
                else if (!details.Succeeded)
                {
                    var errors = details.Refusal is Refusal.ValidationFailed invalid
                        ? string.Join(" ", invalid.Errors.SelectMany(e => e.Value))
                        : details.Refusal.Code;
                    Reject("invalid", errors);
                }
                else if (row.Stage is not null && (stage = StageOf(row.Stage, stages)) is null)
                {
                    Reject("unknown-stage", $"'{row.Stage}' is not a stage; one of: {string.Join(", ", policy.Stages)}.");
                }
                else if (row.Start is { } start && start > today)
                {
                    Reject("start-in-future", $"The start date {start:yyyy-MM-dd} is after today.");
                }
                else if (Conflict(details.Value!, existing, holders) is { } taken)
                {
                    Reject(taken.Reason, taken.Detail);
                }
                else if (claimed.FirstClaim(details.Value!) is { } twice)
                {
                    Reject("duplicate-in-file", $"The same customer as {twice.Sheet} row {twice.Row}.");
                }
                else
                {
                    var signed = stage == policy.Stages[^1];
                    var used = slotsUsed.GetValueOrDefault(owner.Id);
                    if (!signed && Slots.CheckFreeSlot(used, policy.SlotLimit, releasingOne: false) is not null)
                    {
                        Reject("quota-full", $"{owner.DisplayName} already holds {policy.SlotLimit} protected customers.");
                        continue;
                    }

                    var startsOn = row.Start ?? today;
                    if (!terms.TryGetValue(startsOn, out var starting))
                    {
                        var term = ProtectionTerm.Starting(startsOn, policy.ProtectionDays, calendar);
                        // Already past due: protected until the next publication, then published.
                        starting = term.ReleaseAt <= now
                            ? (term, new ProtectionTerm(term.StartsOn, firstDue, calendar.ReminderOn(firstDue.AddDays(-1)), calendar.PublicationOn(firstDue)), "already-due")
                            : (term, term, null);
                        terms[startsOn] = starting;
                    }

                    var (chosen, note) = signed ? (starting.Signed, null) : (starting.Unsigned, starting.Note);
                    if (!signed)
                        slotsUsed[owner.Id] = used + 1;
                    claimed.Claim(sheet.Name, sheet.Rows, rowIndex, details.Value!);

                    Guid? id = null;
                    var status = signed ? CustomerStatus.Signed : CustomerStatus.Protected;
                    if (bulk is not null)
                    {
                        var customer = Customer.Register(ids.Next(), details.Value!, owner.Id, chosen, admin.Id, now, ImportedReason);
                        if (stage is not null)
                        {
                            if (signed)
                                customer.Sign(admin.Id, stage, now);
                            else
                                customer.RecordFollowUp(stage, now);
                        }

                        await bulk.AddAsync(customer, ct);
                        // Only a lookup after this may find it; a registry read whole was read before any write.
                        if (!wholeRegistry)
                            written.Add(customer.Id);
                        (id, status) = (customer.Id, customer.Status);
                    }

                    lines.Imported(sheetIndex, rowIndex, row, details.Value!.Name, note, note is null ? null : pastDue,
                        id, status, chosen.StartsOn, signed ? null : chosen.DueOn);
                    accepted++;
                    imported++;
                }
            }

            sheets.Add(new ImportSheetSummary(sheet.Name, owner?.Id, owner?.DisplayName, imported, refused));
        }

        var report = new ImportReport(result, accepted, rejected.Count, sheets, lines, book.Skipped);
        return new ImportOutcome(report, rejected);
    }

    private string? StageOf(string text, Dictionary<string, string?> known)
    {
        if (!known.TryGetValue(text, out var stage))
            known[text] = stage = WorkbookText.ParseStage(text, policy);
        return stage;
    }

    /// <summary>Rule 3's exact conflict: the registry already has this name, phone or credit code.</summary>
    private static (string Reason, string Detail)? Conflict(ValidCustomerDetails details, Dictionary<Key, Existing> existing, Dictionary<Guid, SheetOwner> holders)
    {
        Existing? match = null;
        foreach (var key in Keys(details))
            if (existing.TryGetValue(key, out match))
                break;
        if (match is null)
            return null;
        return match.Status switch
        {
            CustomerStatus.InPool => ("in-pool", "The customer is in the public pool: a salesperson claims it there."),
            CustomerStatus.Merged => ("customer-taken", "The master registry has this customer under another name it was merged into."),
            CustomerStatus.PendingPublication => ("customer-taken", "The customer was given up and waits for publication."),
            CustomerStatus.Protected or CustomerStatus.PendingReview or CustomerStatus.Signed =>
                ("customer-taken", $"The master registry already has this customer under {(match.OwnerId is { } o && holders.TryGetValue(o, out var h) ? h.DisplayName : "someone")} ({JsonNamingPolicy.KebabCaseLower.ConvertName(match.Status.ToString())})."),
        };
    }

    /// <summary>
    /// The keys of the rows accepted so far, held as 64-bit hashes pointing at the uploaded row: a
    /// dictionary of the keys themselves kept a string and an entry per name, phone and credit code of
    /// every accepted row, 20-25 MB of the import's live memory at 100,000 rows (docs/benchmarks.md,
    /// "Session 5, import3"). A hash that matches is checked against the first row's keys, computed
    /// again from the upload (only for a duplicate, so rarely), and two different keys with one hash
    /// are both kept exactly, so the answer is always the exact one.
    /// </summary>
    /// <param name="capacity">Keys expected (a name and a phone per row, say): sized once, the table's
    /// doublings to 100,000 rows' keys left 14 MB of discarded arrays on the large-object heap.</param>
    internal sealed class ClaimedKeys(Func<Key, ulong>? hash = null, int capacity = 0)
    {
        private readonly Func<Key, ulong> _hash = hash ?? Fnv;
        private readonly Dictionary<ulong, int> _byHash = new(capacity);
        // The row by its sheet's rows and place there, not the row itself: the upload keeps its rows
        // packed (UploadedWorkbook.PackedRows), and holding every accepted row made whole would undo it.
        // Two numbers a row (its sheet's place in _sheets, its own in the sheet): 8 bytes, not 24.
        private readonly List<(int Sheet, int Index)> _rows = new(capacity / 2);
        private readonly List<(string Name, IReadOnlyList<UploadedRow> Rows)> _sheets = [];
        private Dictionary<Key, int>? _collided;

        public (string Sheet, int Row)? FirstClaim(ValidCustomerDetails details)
        {
            foreach (var key in Keys(details))
                if (Find(key) is { } at)
                    return (_sheets[_rows[at].Sheet].Name, Row(at).Row);
            return null;
        }

        public void Claim(string sheet, UploadedRow row, ValidCustomerDetails details) => Claim(sheet, [row], 0, details);

        /// <param name="rows">The sheet's rows; the claiming row is the one at <paramref name="index"/>.</param>
        public void Claim(string sheet, IReadOnlyList<UploadedRow> rows, int index, ValidCustomerDetails details)
        {
            var at = _rows.Count;
            if (_sheets.Count == 0 || _sheets[^1].Name != sheet || !ReferenceEquals(_sheets[^1].Rows, rows))
                _sheets.Add((sheet, rows));
            _rows.Add((_sheets.Count - 1, index));
            foreach (var key in Keys(details))
                if (!_byHash.TryAdd(_hash(key), at))
                    (_collided ??= [])[key] = at;
        }

        private int? Find(Key key)
        {
            if (_collided is not null && _collided.TryGetValue(key, out var exact))
                return exact;
            if (!_byHash.TryGetValue(_hash(key), out var at))
                return null;
            var row = Row(at);
            var first = new CustomerDetails(row.Customer, row.Phone, row.CreditCode, row.Contact, row.Address, row.Notes).Validate(LibPhoneNumberParser.Keys);
            return Keys(first.Value!).Contains(key) ? at : null;
        }

        private UploadedRow Row(int at) => _sheets[_rows[at].Sheet].Rows[_rows[at].Index];

        /// <summary>FNV-1a over the kind and the key's characters: stable, and cheap for keys of a few dozen characters.</summary>
        private static ulong Fnv(Key key)
        {
            var hash = 14695981039346656037UL;
            hash = (hash ^ key.Kind) * 1099511628211UL;
            foreach (var c in key.Value)
                hash = (hash ^ c) * 1099511628211UL;
            return hash;
        }
    }

    /// <summary>
    /// The report's lines, one per row, kept as small values and made into <see cref="ImportLine"/>s when
    /// read (the answer, the kept report, the page): 100,000 records were about 12 MB of the import's live
    /// memory until the answer was written (docs/benchmarks.md, "Session 8, import6"). A line names its
    /// row by its sheet and place there: the customer's words are the row's own (the upload trims them,
    /// and the details' name is the same text), the row number is the row's, the salesperson the sheet's.
    /// </summary>
    internal sealed class ImportLines : IReadOnlyList<ImportLine>
    {
        private readonly IReadOnlyList<UploadedSheet> _sheets;
        private readonly string?[] _salespeople;
        private readonly List<Line> _lines;
        private readonly bool _withoutIds;
        private readonly ImportMemory? _memory;

        /// <param name="Customer">Only when it is not the row's own text (null: the row's).</param>
        /// <param name="Status">The status + 1 (0: none); the days are day numbers + 1 (0: none); <see cref="Guid.Empty"/>: no customer.</param>
        private readonly record struct Line(int Sheet, int Index, bool Imported, byte Status, string? Customer, string? Reason, string? Detail, Guid Id, int StartsOn, int DueOn);

        /// <param name="memory">Bounds the garbage of reading every line (the API's answer makes a record of each, <see cref="ImportMemory"/>).</param>
        public ImportLines(IReadOnlyList<UploadedSheet> sheets, int capacity, ImportMemory? memory = null)
            : this(sheets, new string?[sheets.Count], new List<Line>(capacity), withoutIds: false, memory)
        {
        }

        private ImportLines(IReadOnlyList<UploadedSheet> sheets, string?[] salespeople, List<Line> lines, bool withoutIds, ImportMemory? memory) =>
            (_sheets, _salespeople, _lines, _withoutIds, _memory) = (sheets, salespeople, lines, withoutIds, memory);

        public int Count => _lines.Count;

        public ImportLine this[int index]
        {
            get
            {
                var line = _lines[index];
                var number = Place(line, out var customer, out var hasCustomer);
                return new ImportLine(_sheets[line.Sheet].Name, number, line.Customer ?? (hasCustomer ? customer.ToString() : null),
                    Outcome(line), line.Reason, line.Detail, Id(line), _salespeople[line.Sheet], Status(line), Day(line.StartsOn), Day(line.DueOn));
            }
        }

        /// <summary>Writes the line at <paramref name="index"/> as <see cref="ImportReports"/> writes an <see cref="ImportLine"/>, without making it.</summary>
        public void WriteTo(System.Text.Json.Utf8JsonWriter writer, int index)
        {
            var line = _lines[index];
            var number = Place(line, out var customer, out var hasCustomer);
            ImportReports.WriteLine(writer, _sheets[line.Sheet].Name, number, customer, hasCustomer, Outcome(line), line.Reason, line.Detail,
                Id(line), _salespeople[line.Sheet], Status(line), Day(line.StartsOn), Day(line.DueOn));
        }

        /// <summary>The line's row number, and its customer's words where they are kept (the line's own, else the row's), without a string for the row's.</summary>
        private int Place(in Line line, out ReadOnlySpan<char> customer, out bool hasCustomer)
        {
            var rows = _sheets[line.Sheet].Rows;
            if (rows is UploadedWorkbook.PackedRows packed)
            {
                if (line.Customer is { } own)
                {
                    customer = own;
                    hasCustomer = true;
                }
                else
                    customer = packed.CustomerText(line.Index, out hasCustomer);
                return packed.RowNumber(line.Index);
            }

            var row = rows[line.Index];
            var text = line.Customer ?? row.Customer;
            customer = text;
            hasCustomer = text is not null;
            return row.Row;
        }

        private static string Outcome(in Line line) => line.Imported ? "imported" : "rejected";

        private Guid? Id(in Line line) => line.Id == Guid.Empty || _withoutIds ? null : line.Id;

        private static CustomerStatus? Status(in Line line) => line.Status == 0 ? null : (CustomerStatus)(line.Status - 1);

        /// <summary>The same lines naming no customer (a refused import kept none).</summary>
        public ImportLines WithoutIds() => new(_sheets, _salespeople, _lines, withoutIds: true, _memory);

        public void Salesperson(int sheet, string? name) => _salespeople[sheet] = name;

        public void Rejected(int sheet, int index, string reason, string detail) =>
            _lines.Add(new Line(sheet, index, false, 0, null, reason, detail, Guid.Empty, 0, 0));

        public void Imported(int sheet, int index, UploadedRow row, string customer, string? reason, string? detail, Guid? id, CustomerStatus status, DateOnly startsOn, DateOnly? dueOn) =>
            _lines.Add(new Line(sheet, index, true, (byte)((int)status + 1), customer == row.Customer ? null : customer, reason, detail, id ?? Guid.Empty,
                startsOn.DayNumber + 1, dueOn is { } due ? due.DayNumber + 1 : 0));

        public IEnumerator<ImportLine> GetEnumerator()
        {
            for (var index = 0; index < _lines.Count; index++)
            {
                if (index % 500 == 0)
                    _memory?.Bound();
                yield return this[index];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private static DateOnly? Day(int packed) => packed == 0 ? null : DateOnly.FromDayNumber(packed - 1);
    }

    /// <summary>
    /// The rejected rows as uploaded, with the reason beside each: fix them in Excel and import
    /// this file again (the extra columns are ignored on the way back in).
    /// </summary>
    public static WorkbookFile RejectedRows(ImportOutcome outcome, SheetLanguage language, DateOnly today)
    {
        var file = MasterSheets.TemporaryFile();
        try
        {
            using (var workbook = new XlsxWriter(file))
            {
                var chinese = language == SheetLanguage.Chinese;
                // customer, contact, phone, stage and start, as the master has them, then why.
                var columns = WorkbookText.Columns(language).Take(5).Concat(
                [
                    new XlsxColumn(chinese ? "原工作表" : "Sheet", 16),
                    new XlsxColumn(chinese ? "原行号" : "Row", 8),
                    new XlsxColumn(chinese ? "原因" : "Reason", 20),
                    new XlsxColumn(chinese ? "说明" : "Detail", 60),
                ]).ToList();
                // One sheet per uploaded sheet, under its name, so the fixed file imports to the same
                // people; a name Excel would refuse (another program allowed it) is made safe.
                var groups = outcome.Rejected.GroupBy(r => r.Line.Sheet).ToList();
                var names = SheetNames.Assign(groups.Select(g => g.Key), []);
                foreach (var (group, name) in groups.Zip(names))
                {
                    var sheet = workbook.AddSheet(name, columns);
                    foreach (var (row, line) in group)
                        sheet.WriteRow([
                            XlsxCell.Of(row.Customer), XlsxCell.Of(row.Contact), XlsxCell.Of(row.Phone), XlsxCell.Of(row.Stage), XlsxCell.Of(row.Start),
                            XlsxCell.Of(line.Sheet), XlsxCell.Of(line.Row), XlsxCell.Of(line.Reason), XlsxCell.Of(line.Detail),
                        ]);
                    sheet.Done();
                }

                if (outcome.Rejected.Count == 0)
                    workbook.AddSheet(chinese ? "无被拒绝" : "Nothing rejected", columns).Done();
                workbook.Finish();
            }

            file.Position = 0;
            return new WorkbookFile(file, $"harbor-import-rejected-{today:yyyy-MM-dd}.xlsx", outcome.Rejected.Count);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A key a customer is known by, with its kind so that a phone never equals a name. A pair, not
    /// a prefixed string: 100,000 rows asked for their keys three times each (bench/Harbor.WorkbookBench).
    /// </summary>
    internal readonly record struct Key(char Kind, string Value);

    internal static RowKeys Keys(ValidCustomerDetails details) => new(details);

    /// <summary>
    /// A row's keys, credit code first, then name, then phone: a struct enumerated in place. An
    /// iterator, the LINQ over it and its delegates were 35 MB of garbage per 100,000 rows, asked
    /// three times a row (docs/benchmarks.md, "Session 7, import5").
    /// </summary>
    internal readonly struct RowKeys(ValidCustomerDetails details)
    {
        public Enumerator GetEnumerator() => new(details);

        public bool Contains(Key key)
        {
            foreach (var mine in this)
                if (mine == key)
                    return true;
            return false;
        }

        public struct Enumerator(ValidCustomerDetails details)
        {
            private int _at = -1;

            public Key Current { get; private set; }

            public bool MoveNext()
            {
                while (++_at < 3)
                {
                    var (kind, value) = _at switch
                    {
                        0 => ('c', details.CreditCodeKey),
                        1 => ('n', details.NameKey),
                        _ => ('p', details.PhoneKey),
                    };
                    if (value is not null)
                    {
                        Current = new Key(kind, value);
                        return true;
                    }
                }

                return false;
            }
        }
    }

    /// <summary>
    /// Keys per lookup query. Each chunk travels as ONE parameter (a JSON array on SQLite read
    /// through json_each, an array on PostgreSQL): with EF Core 10's default of one parameter per
    /// item, 100 queries of 2,000 parameters spent 4 s of CPU building and binding SQL for an
    /// empty registry (bench/Harbor.WorkbookBench import, dotnet-trace).
    /// </summary>
    private const int KeysPerLookup = RowsPerWindow;

    /// <summary>Adds to <paramref name="found"/> the registry's customers sharing a key with these rows, except those this import wrote.</summary>
    private async Task LookUpAsync(ReadOnlyMemory<Result<ValidCustomerDetails>> rows, Dictionary<Key, Existing> found, HashSet<Guid> written, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var phones = new HashSet<string>(StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Span)
        {
            if (!row.Succeeded)
                continue;
            names.Add(row.Value!.NameKey);
            if (row.Value.PhoneKey is { } phone)
                phones.Add(phone);
            if (row.Value.CreditCodeKey is { } code)
                codes.Add(code);
        }

        var queries = names.Chunk(KeysPerLookup).Select(chunk => db.Customers.Where(c => EF.Parameter(chunk).Contains(c.NameKey)))
            .Concat(phones.Chunk(KeysPerLookup).Select(chunk => db.Customers.Where(c => c.PhoneKey != null && EF.Parameter(chunk).Contains(c.PhoneKey))))
            .Concat(codes.Chunk(KeysPerLookup).Select(chunk => db.Customers.Where(c => c.CreditCodeKey != null && EF.Parameter(chunk).Contains(c.CreditCodeKey))));
        foreach (var query in queries)
            Remember(await query.AsNoTracking().Select(c => new Existing(c.Id, c.NameKey, c.PhoneKey, c.CreditCodeKey, c.OwnerId, c.Status)).ToListAsync(ct), found, written);
    }

    private static void Remember(List<Existing> customers, Dictionary<Key, Existing> found, HashSet<Guid> written)
    {
        foreach (var c in customers)
        {
            if (written.Contains(c.Id))
                continue;
            found.TryAdd(new Key('n', c.NameKey), c);
            if (c.PhoneKey is not null)
                found.TryAdd(new Key('p', c.PhoneKey), c);
            if (c.CreditCodeKey is not null)
                found.TryAdd(new Key('c', c.CreditCodeKey), c);
        }
    }
}
