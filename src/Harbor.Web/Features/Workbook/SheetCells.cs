using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// The cells of an uploaded workbook, sheet by sheet, read straight off the archive with one
/// XmlReader per part: shared strings and date styles once, then each sheet's rows as they come.
/// A cell is a string, a double, a DateTime (a number in a date format) or a bool, by the sheet's
/// own row number and column letters. MiniExcel did this before, but it re-read the workbook for
/// every sheet: 0.2–0.5 s and 8–10 MB per sheet of a 200-sheet master (bench/Harbor.WorkbookBench import).
/// The same pass counts the rows and notes the merged cells (<see cref="SheetScan"/>), so the
/// upload's XML is parsed once, not once to check it and again to read it.
/// </summary>
internal sealed class SheetCells
{
    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // Excel's built-in date and time formats.
    private static readonly HashSet<int> BuiltInDates = [14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58];

    private readonly ZipArchive _zip;
    private readonly Func<Stream, Stream> _budget;
    private readonly List<string> _shared = [];
    private readonly List<bool> _dateStyles = [];

    private SheetCells(ZipArchive zip, Func<Stream, Stream> budget)
    {
        _zip = zip;
        _budget = budget;
    }

    /// <param name="zip">The upload's archive, already checked; the caller keeps it open while the rows are read, and disposes it.</param>
    /// <param name="budget">Wraps each part's stream, so that inflating stays within the upload's limits.</param>
    public static SheetCells Open(ZipArchive zip, Func<Stream, Stream> budget)
    {
        var cells = new SheetCells(zip, budget);
        var parts = cells.WorkbookParts();
        cells.ReadSharedStrings(parts.SharedStrings);
        cells.ReadDateStyles(parts.Styles);
        return cells;
    }

    /// <summary>
    /// The rows of a sheet part, each with its row number and its non-empty cells by column letters.
    /// One dictionary serves every row of the part, cleared for each: read a row before asking for
    /// the next. A new small dictionary per row, grown cell by cell, was half the reading's CPU
    /// (bench/Harbor.WorkbookBench import, dotnet-trace).
    /// Every row element counts against <paramref name="scan"/>'s limit (read or not), and the
    /// sheet's merged ranges are noted there; once the caller clears <see cref="SheetScan.CellsWanted"/>
    /// the rest of the part is only counted and scanned, no cell converted and no row returned.
    /// </summary>
    public IEnumerable<(int Row, Dictionary<string, object?> Cells)> Rows(string part, SheetScan scan)
    {
        var entry = Entry(part) ?? throw new InvalidDataException($"No part {part}.");
        using var reader = XmlReader.Create(_budget(entry.Open()), Settings);
        var row = 0;
        Dictionary<string, object?>? cells = null;
        var reused = new Dictionary<string, object?>(16, StringComparer.Ordinal);
        string? column = null, type = null;
        var style = 0;
        var position = 0;
        // One buffer for every cell's text; the column names are shared strings, not one per cell.
        var value = new StringBuilder();
        var hasValue = false;
        var inValue = false;
        var inInline = false;
        var inText = false;
        var inPhonetic = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.NamespaceURI == MainNs:
                    switch (reader.LocalName)
                    {
                        case "row":
                            scan.CountRow();
                            if (!scan.CellsWanted)
                            {
                                cells = null;
                                break;
                            }

                            row = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : row + 1;
                            reused.Clear();
                            cells = reused;
                            position = 0;
                            if (reader.IsEmptyElement)
                            {
                                yield return (row, cells);
                                cells = null;
                            }

                            break;
                        case "c" when cells is not null:
                            var index = reader.GetAttribute("r") is { } reference ? ColumnIndex(reference) : position;
                            column = ColumnName(index);
                            position = index + 1;
                            type = reader.GetAttribute("t");
                            style = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                            hasValue = false;
                            value.Clear();
                            if (reader.IsEmptyElement)
                                column = null;
                            break;
                        case "v" when column is not null && !reader.IsEmptyElement:
                            inValue = true;
                            hasValue = true;
                            break;
                        case "is" when column is not null && !reader.IsEmptyElement:
                            inInline = true;
                            hasValue = true;
                            break;
                        case "rPh" when inInline && !reader.IsEmptyElement:
                            inPhonetic = true;
                            break;
                        case "t" when inInline && !inPhonetic && !reader.IsEmptyElement:
                            inText = true;
                            break;
                        case "mergeCell":
                            scan.Merged.Add(reader.GetAttribute("ref") ?? "");
                            break;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace
                    when inValue || inText:
                    value.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when reader.NamespaceURI == MainNs:
                    switch (reader.LocalName)
                    {
                        case "v":
                            inValue = false;
                            break;
                        case "is":
                            inInline = false;
                            break;
                        case "rPh":
                            inPhonetic = false;
                            break;
                        case "t":
                            inText = false;
                            break;
                        case "c" when column is not null && cells is not null:
                            cells[column] = Convert(type, style, hasValue ? value.ToString() : null);
                            column = null;
                            break;
                        case "row" when cells is not null:
                            yield return (row, cells);
                            cells = null;
                            break;
                    }

                    break;
            }
        }
    }

    private object? Convert(string? type, int style, string? text)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _shared.Count
                    ? _shared[index]
                    : throw new InvalidDataException("A shared string that is not there.");
            case "inlineStr" or "str" or "e":
                return text ?? "";
            case "b":
                return text?.Trim() == "1";
            case "d":
                return text is null ? null : DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            default:
                if (string.IsNullOrWhiteSpace(text))
                    return null;
                var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                return style < _dateStyles.Count && _dateStyles[style] && number >= 0 && number < 2_958_466
                    ? DateTime.FromOADate(number)
                    : number;
        }
    }

    /// <summary>The column of a cell reference such as B12 (0 for A).</summary>
    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
                break;
            index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
            // Excel's last column is XFD (16,384): beyond it the file is damaged, not a bigger sheet.
            if (index > 16_384)
                throw new InvalidDataException("A column beyond XFD.");
        }

        return Math.Max(0, index - 1);
    }

    private readonly List<string> _columnNames = [];

    private string ColumnName(int index)
    {
        while (_columnNames.Count <= index)
            _columnNames.Add(XlsxWriter.ColumnName(_columnNames.Count));
        return _columnNames[index];
    }

    private ZipArchiveEntry? Entry(string part) =>
        _zip.Entries.FirstOrDefault(e => e.FullName.Equals(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>Where the workbook keeps its shared strings and styles (by its relationships, else where Excel puts them).</summary>
    private (string SharedStrings, string Styles) WorkbookParts()
    {
        string shared = "xl/sharedStrings.xml", styles = "xl/styles.xml";
        if (Entry("xl/_rels/workbook.xml.rels") is { } rels)
        {
            using var reader = XmlReader.Create(_budget(rels.Open()), Settings);
            while (reader.Read())
            {
                if (reader is not { NodeType: XmlNodeType.Element, LocalName: "Relationship" } || reader.GetAttribute("Target") is not { } target)
                    continue;
                var part = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
                var type = reader.GetAttribute("Type") ?? "";
                if (type.EndsWith("/sharedStrings", StringComparison.Ordinal))
                    shared = part;
                else if (type.EndsWith("/styles", StringComparison.Ordinal))
                    styles = part;
            }
        }

        return (shared, styles);
    }

    private void ReadSharedStrings(string part)
    {
        if (Entry(part) is not { } entry)
            return;
        using var reader = XmlReader.Create(_budget(entry.Open()), Settings);
        StringBuilder? text = null;
        var inText = false;
        var inPhonetic = false;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.NamespaceURI == MainNs:
                    if (reader.LocalName == "si")
                    {
                        if (reader.IsEmptyElement)
                            _shared.Add("");
                        else
                            text = new StringBuilder();
                    }
                    else if (reader.LocalName == "rPh" && !reader.IsEmptyElement)
                    {
                        inPhonetic = true;
                    }
                    else if (reader.LocalName == "t" && !reader.IsEmptyElement)
                    {
                        inText = !inPhonetic;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace when inText:
                    text?.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when reader.NamespaceURI == MainNs:
                    if (reader.LocalName == "t")
                        inText = false;
                    else if (reader.LocalName == "rPh")
                        inPhonetic = false;
                    else if (reader.LocalName == "si" && text is not null)
                    {
                        _shared.Add(text.ToString());
                        text = null;
                    }

                    break;
            }
        }
    }

    /// <summary>For each cell style (cellXfs), whether its number format shows a date.</summary>
    private void ReadDateStyles(string part)
    {
        if (Entry(part) is not { } entry)
            return;
        var custom = new Dictionary<int, bool>();
        using var reader = XmlReader.Create(_budget(entry.Open()), Settings);
        var inCellFormats = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
                inCellFormats = false;
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != MainNs)
                continue;
            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    custom[id] = IsDateFormat(reader.GetAttribute("formatCode") ?? "");
                    break;
                case "cellXfs":
                    inCellFormats = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellFormats:
                    var format = int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
                    _dateStyles.Add(custom.TryGetValue(format, out var date) ? date : BuiltInDates.Contains(format));
                    break;
            }
        }
    }

    /// <summary>A custom format shows a date if, outside quoted text and [..] sections, it has y, m, d or h.</summary>
    private static bool IsDateFormat(string code)
    {
        var quoted = false;
        var bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"')
                quoted = !quoted;
            else if (quoted)
                continue;
            else if (c == '[')
                bracket = true;
            else if (c == ']')
                bracket = false;
            else if (c == '\\')
                i++;
            else if (!bracket && char.ToLowerInvariant(c) is 'y' or 'm' or 'd' or 'h')
                return true;
        }

        return false;
    }

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };
}

/// <summary>
/// What the reading pass checks as it goes: the rows of every sheet read so far against the
/// upload's limit (<see cref="TooManyRowsException"/> as soon as it is passed, before the rest is
/// parsed), and the merged ranges of the sheet being read.
/// </summary>
internal sealed class SheetScan(long maxRows)
{
    public long Rows { get; private set; }

    /// <summary>The merged ranges (such as A2:B2) of the part being read; the caller takes them after each part.</summary>
    public List<string> Merged { get; } = [];

    /// <summary>False once the caller has what it needs from the part: the rest is counted, not read.</summary>
    public bool CellsWanted { get; set; } = true;

    public void CountRow()
    {
        if (++Rows > maxRows)
            throw new TooManyRowsException();
    }
}

internal sealed class TooManyRowsException : Exception;
