using System.Globalization;
using System.IO.Compression;
using System.Xml;
using Harbor.Domain.Policy;

namespace Harbor.Web.Features.Workbook;

/// <summary>A customer row read from an uploaded sheet; <see cref="Row"/> is the sheet's row number.</summary>
public sealed record UploadedRow(
    int Row,
    string? Customer,
    string? Contact,
    string? Phone,
    string? Stage,
    DateOnly? Start,
    DateOnly? Due,
    string? CreditCode,
    string? Address,
    string? Notes);

/// <summary>A sheet with a customer column, the columns it has, its rows in order.</summary>
public sealed record UploadedSheet(string Name, IReadOnlySet<SheetField> Fields, IReadOnlyList<UploadedRow> Rows);

/// <summary>A sheet left out, and why (the summary sheet, a sheet of notes).</summary>
public sealed record SkippedSheet(string Sheet, string Reason);

public sealed record UploadedBook(IReadOnlyList<UploadedSheet> Sheets, IReadOnlyList<SkippedSheet> Skipped);

/// <summary>
/// Reads a workbook edited outside Harbor in one pass, refusing a bad file before anything is
/// written: the archive's entries and declared sizes are checked first, inflating is capped as it
/// goes (declared sizes can lie), and the rows are counted and merged cells found while the cells
/// are read (<see cref="SheetCells"/>), the reading stopping at the row limit. Headers are recognised in Chinese or English in any order; other columns are ignored.
/// A cell of the wrong type refuses the whole file, naming the cells, so nothing half-read is used.
/// </summary>
public static class UploadedWorkbook
{
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const int HeaderSearchRows = 10;
    private const int MaxReportedCells = 50;
    private static readonly int ExcelEpoch = new DateOnly(1899, 12, 30).DayNumber;

    private static readonly string[] DateFormats =
        ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd", "yyyy-M-d H:mm", "yyyy-M-d H:mm:ss", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss"];

    /// <param name="open">Opens the uploaded file; it is read once, in one pass.</param>
    public static Result<UploadedBook> Read(Func<Stream> open, WorkbookOptions limits)
    {
        using var upload = open();
        if (upload.Length == 0)
            return new Refusal.UnreadableFile("empty-file", "The file is empty.");
        // One budget for every part this pass inflates, the workbook's list of sheets included (the
        // parts it never opens cost nothing, and their declared sizes are capped first).
        var budget = new Budget(limits.MaxUncompressedBytes);
        var opened = OpenArchive(upload, limits, budget);
        if (!opened.Succeeded)
            return opened.Refusal;

        using var zip = opened.Value.Zip;
        var read = new List<UploadedSheet>();
        var skipped = new List<SkippedSheet>();
        var wrong = new List<string>();
        var merged = new List<string>();
        try
        {
            // One row count for every sheet.
            var cells = SheetCells.Open(zip, stream => new BudgetStream(stream, budget));
            var scan = new SheetScan(limits.MaxRows);
            // Reading 100,000 rows makes about 140 MB of garbage (each cell's text and value): bounded as the import's is.
            var memory = new ImportMemory(limits.ImportCollectEveryMegabytes);
            foreach (var (name, part) in opened.Value.Sheets)
            {
                scan.CellsWanted = true;
                scan.Merged.Clear();
                var sheet = ReadSheet(cells.Rows(part, scan), name, wrong, scan, memory);
                merged.AddRange(scan.Merged.Select(range => $"{name}!{range}"));
                if (sheet is null)
                    skipped.Add(new SkippedSheet(name, "no customer column"));
                else
                    read.Add(sheet);
            }
        }
        catch (OverBudgetException)
        {
            return new Refusal.TooLarge("workbook-too-large", "The workbook unpacks to more than the limit.", limits.MaxUncompressedBytes);
        }
        catch (TooManyRowsException)
        {
            return new Refusal.TooLarge("too-many-rows", $"The workbook has more than {limits.MaxRows} rows.", limits.MaxRows);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The archive passed the checks but its cells do not parse: a damaged or hand-made
            // file is the uploader's problem to fix, not a server error.
            return new Refusal.UnreadableFile("not-a-workbook", "The workbook is damaged: its cells cannot be read.");
        }

        // In the order the two passes refused before: merged cells first (a sheet read row by row
        // would be wrong), then cells of the wrong type, then a workbook with no customers.
        if (merged.Count > 0)
            return new Refusal.UnreadableFile("merged-cells", "Merged cells cannot be read row by row: unmerge them and upload again.",
                merged.Take(MaxReportedCells).ToList());
        if (wrong.Count > 0)
            return new Refusal.UnreadableFile("wrong-types", "Some cells do not hold what their column needs.", wrong.Take(MaxReportedCells).ToList());
        if (read.Count == 0)
            return new Refusal.UnreadableFile("no-customer-sheet",
                "No sheet has a customer column (客户 / Customer) in its first rows.", [.. skipped.Select(s => s.Sheet)]);
        return new UploadedBook(read, skipped);
    }

    /// <summary>
    /// The archive's checks, before any cell is parsed: what kind of file it is, its parts and
    /// their declared sizes, and the sheets the workbook lists in its order (each must be there).
    /// The rows are counted and merged cells found while they are read (<see cref="SheetScan"/>):
    /// a separate checking pass parsed the sheets' XML a second time, 0.9 s of a 100,000-row master.
    /// </summary>
    private static Result<(ZipArchive Zip, List<(string Name, string Part)> Sheets)> OpenArchive(Stream upload, WorkbookOptions limits, Budget budget)
    {
        Span<byte> head = stackalloc byte[8];
        upload.Position = 0;
        var got = upload.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        upload.Position = 0;
        if (got >= 8 && head.SequenceEqual(stackalloc byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
            return new Refusal.UnreadableFile("not-a-workbook", "This is an old .xls file or a password-protected workbook: save it as an unprotected .xlsx.");
        if (got < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
            return new Refusal.UnreadableFile("not-a-workbook", "This is not an .xlsx workbook.");

        ZipArchive? zip = null;
        try
        {
            zip = new ZipArchive(upload, ZipArchiveMode.Read, leaveOpen: true);
            var refusal = Check(zip, limits, budget, out var sheets);
            if (refusal is null)
                return (zip, sheets);
            zip.Dispose();
            return refusal;
        }
        catch (OverBudgetException)
        {
            zip?.Dispose();
            return new Refusal.TooLarge("workbook-too-large", "The workbook unpacks to more than the limit.", limits.MaxUncompressedBytes);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or NotSupportedException)
        {
            zip?.Dispose();
            return new Refusal.UnreadableFile("not-a-workbook", "The file is damaged or not an .xlsx workbook.");
        }
    }

    private static Refusal? Check(ZipArchive zip, WorkbookOptions limits, Budget budget, out List<(string Name, string Part)> sheets)
    {
        sheets = [];
        if (zip.Entries.Count > limits.MaxEntries)
            return new Refusal.TooLarge("workbook-too-large", $"The workbook has more than {limits.MaxEntries} parts.", limits.MaxEntries);
        if (zip.Entries.Sum(e => e.Length) > limits.MaxUncompressedBytes)
            return new Refusal.TooLarge("workbook-too-large", "The workbook unpacks to more than the limit.", limits.MaxUncompressedBytes);
        var workbookEntry = zip.Entries.FirstOrDefault(e => e.FullName.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase));
        if (workbookEntry is null)
            return new Refusal.UnreadableFile("not-a-workbook", "The zip archive holds no workbook (xl/workbook.xml).");

        sheets = SheetsOf(zip, workbookEntry, budget);
        if (sheets.Count == 0)
            return new Refusal.UnreadableFile("not-a-workbook", "The workbook has no sheets.");
        var parts = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (sheets.Any(s => !parts.Contains(s.Part)))
            return new Refusal.UnreadableFile("not-a-workbook", "The workbook names a sheet it does not contain.");
        return null;
    }

    /// <summary>The sheets the workbook lists, in its order, with the archive part of each.</summary>
    private static List<(string Name, string Part)> SheetsOf(ZipArchive zip, ZipArchiveEntry workbookEntry, Budget budget)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        var relsEntry = zip.Entries.FirstOrDefault(e => e.FullName.Equals("xl/_rels/workbook.xml.rels", StringComparison.OrdinalIgnoreCase));
        if (relsEntry is not null)
        {
            using var rels = XmlReader.Create(new BudgetStream(relsEntry.Open(), budget), ReaderSettings);
            while (rels.Read())
                if (rels is { NodeType: XmlNodeType.Element, LocalName: "Relationship" } && rels.GetAttribute("Id") is { } id && rels.GetAttribute("Target") is { } target)
                    targets[id] = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
        }

        var sheets = new List<(string, string)>();
        using var reader = XmlReader.Create(new BudgetStream(workbookEntry.Open(), budget), ReaderSettings);
        while (reader.Read())
        {
            if (reader is not { NodeType: XmlNodeType.Element, LocalName: "sheet", NamespaceURI: MainNs })
                continue;
            var name = reader.GetAttribute("name");
            var id = reader.GetAttribute("id", RelNs);
            if (name is not null && id is not null && targets.TryGetValue(id, out var part))
                sheets.Add((name, Normalise(part)));
        }

        return sheets;
    }

    private static string Normalise(string part)
    {
        var segments = new List<string>();
        foreach (var segment in part.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                    segments.RemoveAt(segments.Count - 1);
            }
            else if (segment is not ("." or ""))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    /// <summary>
    /// Finds the header row (the first with a customer column), then reads every row after it. A
    /// sheet without one is still scanned to its end (its rows count, its merged cells refuse the
    /// file, as when a checking pass went first), but no more of it is read.
    /// </summary>
    private static UploadedSheet? ReadSheet(IEnumerable<(int Row, Dictionary<string, object?> Cells)> sheetRows, string name, List<string> wrong, SheetScan scan, ImportMemory memory)
    {
        Dictionary<SheetField, string>? columns = null;
        var rows = new PackedRows();
        foreach (var (number, cells) in sheetRows)
        {
            if (columns is null)
            {
                if (number > HeaderSearchRows)
                {
                    scan.CellsWanted = false;
                    continue;
                }

                var found = new Dictionary<SheetField, string>();
                foreach (var (column, value) in cells)
                    if (value is string text && WorkbookText.FieldOf(text) is { } field)
                        found.TryAdd(field, column);
                if (found.ContainsKey(SheetField.Customer))
                {
                    columns = found;
                }

                continue;
            }

            if (cells.Values.All(v => v is null || (v is string s && string.IsNullOrWhiteSpace(s))))
                continue;
            if (rows.Count % 500 == 0)
                memory.Bound();
            var row = new RowReader(name, number, cells, columns, wrong);
            rows.Add(new UploadedRow(
                number,
                row.Text(SheetField.Customer, allowNumber: false),
                row.Text(SheetField.Contact, allowNumber: true),
                row.Phone(),
                row.Text(SheetField.Stage, allowNumber: false),
                row.Date(SheetField.Start),
                row.Date(SheetField.Due),
                row.Text(SheetField.CreditCode, allowNumber: false),
                row.Text(SheetField.Address, allowNumber: true),
                row.Text(SheetField.Notes, allowNumber: true)));
        }

        return columns is null ? null : new UploadedSheet(name, columns.Keys.ToHashSet(), rows);
    }

    /// <summary>Typed access to one row's cells; a cell of the wrong type is noted with its reference.</summary>
    private readonly struct RowReader(string sheet, int row, IDictionary<string, object?> cells, Dictionary<SheetField, string> columns, List<string> wrong)
    {
        public string? Text(SheetField field, bool allowNumber)
        {
            var (column, value) = Cell(field);
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
                case double number when allowNumber:
                    return number.ToString(CultureInfo.InvariantCulture);
                default:
                    Wrong(column, field, "text");
                    return null;
            }
        }

        /// <summary>Phones are often typed as numbers (13800138000): a whole number is read as its digits.</summary>
        public string? Phone()
        {
            var (column, value) = Cell(SheetField.Phone);
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
                case double number when number >= 0 && number < 1e16 && Math.Floor(number) == number:
                    return ((long)number).ToString(CultureInfo.InvariantCulture);
                default:
                    Wrong(column, SheetField.Phone, "a phone number");
                    return null;
            }
        }

        /// <summary>A date cell, a date serial number, or text such as 2026-12-01 or 2026年12月1日.</summary>
        public DateOnly? Date(SheetField field)
        {
            var (column, value) = Cell(field);
            switch (value)
            {
                case null:
                    return null;
                case DateTime date:
                    return DateOnly.FromDateTime(date);
                case double serial when serial >= 1 && serial < 2_958_466:
                    return DateOnly.FromDayNumber(ExcelEpoch + (int)Math.Floor(serial));
                case string text when string.IsNullOrWhiteSpace(text):
                    return null;
                case string text when DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                    return DateOnly.FromDateTime(parsed);
                default:
                    Wrong(column, field, "a date");
                    return null;
            }
        }

        private (string Column, object? Value) Cell(SheetField field) =>
            columns.TryGetValue(field, out var column) ? (column, cells.TryGetValue(column, out var value) ? value : null) : ("", null);

        private void Wrong(string column, SheetField field, string expected) =>
            wrong.Add($"{sheet}!{column}{row.ToString(CultureInfo.InvariantCulture)}: {Name(field)} should be {expected}");

        private static string Name(SheetField field) => field switch
        {
            SheetField.Customer => "customer",
            SheetField.Contact => "contact",
            SheetField.Phone => "phone",
            SheetField.Stage => "stage",
            SheetField.Start => "start",
            SheetField.Due => "due",
            SheetField.DaysLeft => "days left",
            SheetField.Status => "status",
            SheetField.CreditCode => "credit code",
            SheetField.Address => "address",
            SheetField.Notes => "notes",
        };
    }

    private sealed class OverBudgetException : Exception;

    /// <summary>
    /// A sheet's rows as read, each kept as ONE string (its seven texts, each after its length) beside
    /// its number and dates, and made into an <see cref="UploadedRow"/> again when asked for. The rows
    /// as records, each with its own strings, were 32 MB of the import's live memory at 100,000 rows
    /// (a record and up to seven strings each, about 280 bytes a row), held from the upload to the
    /// answer; packed they are about 130 bytes a row (docs/benchmarks.md, "Session 8, import6").
    /// A row asked for twice is two equal records, not the same object: read each once.
    /// </summary>
    internal sealed class PackedRows : IReadOnlyList<UploadedRow>
    {
        private readonly List<Packed> _rows = [];

        /// <summary>Start and Due as day numbers + 1 (0: none).</summary>
        private readonly record struct Packed(int Row, int Start, int Due, string Text);

        public int Count => _rows.Count;

        public UploadedRow this[int index]
        {
            get
            {
                var packed = _rows[index];
                var text = packed.Text.AsSpan();
                var at = 0;
                var customer = Next(text, ref at);
                var contact = Next(text, ref at);
                var phone = Next(text, ref at);
                var stage = Next(text, ref at);
                var creditCode = Next(text, ref at);
                var address = Next(text, ref at);
                var notes = Next(text, ref at);
                return new UploadedRow(packed.Row, customer, contact, phone, stage, Day(packed.Start), Day(packed.Due), creditCode, address, notes);
            }
        }

        /// <summary>The sheet's row number of the row at <paramref name="index"/>, without making the row.</summary>
        public int RowNumber(int index) => _rows[index].Row;

        /// <summary>The customer's text of the row at <paramref name="index"/>, without making the row.</summary>
        public string? Customer(int index)
        {
            var at = 0;
            return Next(_rows[index].Text, ref at);
        }

        /// <summary>The customer's text of the row at <paramref name="index"/> where it is kept, without a string.</summary>
        public ReadOnlySpan<char> CustomerText(int index, out bool has)
        {
            ReadOnlySpan<char> text = _rows[index].Text;
            var at = 0;
            var (start, length) = Field(text, ref at);
            has = length >= 0;
            return has ? text.Slice(start, length) : default;
        }

        public void Add(UploadedRow row)
        {
            ReadOnlySpan<string?> texts = [row.Customer, row.Contact, row.Phone, row.Stage, row.CreditCode, row.Address, row.Notes];
            var length = 0;
            foreach (var text in texts)
                length += LengthOf(text) + (text?.Length ?? 0);
            var packed = string.Create(length, row, static (span, row) =>
            {
                var at = 0;
                Put(span, ref at, row.Customer);
                Put(span, ref at, row.Contact);
                Put(span, ref at, row.Phone);
                Put(span, ref at, row.Stage);
                Put(span, ref at, row.CreditCode);
                Put(span, ref at, row.Address);
                Put(span, ref at, row.Notes);
            });
            _rows.Add(new Packed(row.Row, row.Start is { } start ? start.DayNumber + 1 : 0, row.Due is { } due ? due.DayNumber + 1 : 0, packed));
        }

        public IEnumerator<UploadedRow> GetEnumerator()
        {
            for (var index = 0; index < _rows.Count; index++)
                yield return this[index];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private static DateOnly? Day(int packed) => packed == 0 ? null : DateOnly.FromDayNumber(packed - 1);

        // A text's length + 1 (0: none) in one char, or in three (a mark, then two halves) past 0xFFFE:
        // Excel's cells hold at most 32,767 characters, a hand-made file may hold more.
        private static int LengthOf(string? text) => (text?.Length ?? 0) + 1 < char.MaxValue ? 1 : 3;

        private static void Put(Span<char> span, ref int at, string? text)
        {
            var length = text is null ? 0 : text.Length + 1;
            if (length < char.MaxValue)
            {
                span[at++] = (char)length;
            }
            else
            {
                span[at++] = char.MaxValue;
                span[at++] = (char)(length >> 16);
                span[at++] = (char)(length & 0xFFFF);
            }

            if (text is null)
                return;
            text.CopyTo(span[at..]);
            at += text.Length;
        }

        private static string? Next(ReadOnlySpan<char> span, ref int at)
        {
            var (start, length) = Field(span, ref at);
            return length < 0 ? null : span.Slice(start, length).ToString();
        }

        /// <summary>Where the next text starts and its length (-1: none), moving past it.</summary>
        private static (int Start, int Length) Field(ReadOnlySpan<char> span, ref int at)
        {
            int length = span[at++];
            if (length == char.MaxValue)
            {
                length = (span[at] << 16) | span[at + 1];
                at += 2;
            }

            var start = at;
            at += Math.Max(length - 1, 0);
            return (start, length - 1);
        }
    }

    /// <summary>The bytes every entry together may still inflate to.</summary>
    private sealed class Budget(long bytes)
    {
        public void Spend(int count)
        {
            bytes -= count;
            if (bytes < 0)
                throw new OverBudgetException();
        }
    }

    /// <summary>Counts what is actually inflated, whatever the archive declares.</summary>
    private sealed class BudgetStream(Stream inner, Budget budget) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            budget.Spend(read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
