using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Harbor.Web.Features.Workbook;

/// <summary>A column of an exported sheet: its header and its width in characters.</summary>
public sealed record XlsxColumn(string Header, double Width);

/// <summary>One cell: text, a number, a date, or nothing.</summary>
public readonly record struct XlsxCell
{
    private XlsxCell(string? text, double number, DateOnly? date)
    {
        Text = text;
        Number = number;
        Date = date;
    }

    public string? Text { get; }
    public double Number { get; }
    public DateOnly? Date { get; }
    public bool IsNumber => Text is null && Date is null && !double.IsNaN(Number);

    public static XlsxCell Empty => new(null, double.NaN, null);

    public static XlsxCell Of(string? text) => string.IsNullOrEmpty(text) ? Empty : new(text, double.NaN, null);

    public static XlsxCell Of(int? number) => number is { } n ? new(null, n, null) : Empty;

    public static XlsxCell Of(DateOnly? date) => date is { } d ? new(null, double.NaN, d) : Empty;
}

/// <summary>
/// Writes an .xlsx as it goes: each row goes straight into the compressed sheet part, so memory
/// stays flat however many customers there are (ADR-007). Cells are inline strings, numbers or
/// dates; nothing is ever written as a formula, and text that a spreadsheet would take for one
/// (a leading <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) gets Excel's own
/// "quote prefix" style, so it is shown and kept as text even when someone edits the cell.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    internal const int HeaderStyle = 1;
    internal const int DateStyle = 2;
    internal const int TextStyle = 3;

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // Excel's day 0 (it counts 1900 as a leap year, hence the 30th, not the 31st).
    private static readonly int ExcelEpoch = new DateOnly(1899, 12, 30).DayNumber;

    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        // A carriage return inside a value survives the round trip as &#xD;.
        NewLineHandling = NewLineHandling.Entitize,
        CloseOutput = true,
    };

    private readonly ZipArchive _zip;
    private readonly List<(string Name, int Order, int Part)> _sheets = [];
    private SheetWriter? _open;

    public XlsxWriter(Stream output) => _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);

    /// <summary>
    /// Starts a sheet; the previous one must be done. Sheets are listed in the workbook by
    /// <paramref name="order"/>, then as added, so a summary can be written last and shown first.
    /// </summary>
    public SheetWriter AddSheet(string name, IReadOnlyList<XlsxColumn> columns, int order = 1)
    {
        if (_open is { IsDone: false })
            throw new InvalidOperationException("Finish the previous sheet first.");
        var part = _sheets.Count + 1;
        _sheets.Add((name, order, part));
        _open = new SheetWriter(_zip.CreateEntry($"xl/worksheets/sheet{part}.xml", CompressionLevel.Fastest), columns);
        return _open;
    }

    /// <summary>Writes the parts that list the sheets; the archive is complete after <see cref="Dispose"/>.</summary>
    public void Finish()
    {
        if (_open is { IsDone: false })
            throw new InvalidOperationException("Finish the last sheet first.");
        var listed = _sheets.Select((s, i) => (s.Name, s.Order, s.Part, Index: i)).OrderBy(s => s.Order).ThenBy(s => s.Index).ToList();

        Part("[Content_Types].xml", w =>
        {
            w.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
            Default(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(w, "xml", "application/xml");
            Override(w, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(w, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            foreach (var sheet in listed)
                Override(w, $"/xl/worksheets/sheet{sheet.Part}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            w.WriteEndElement();
        });
        Part("_rels/.rels", w =>
        {
            w.WriteStartElement("Relationships", "http://schemas.openxmlformats.org/package/2006/relationships");
            Relationship(w, "rId1", RelNs + "/officeDocument", "xl/workbook.xml");
            w.WriteEndElement();
        });
        Part("xl/workbook.xml", w =>
        {
            w.WriteStartElement("workbook", MainNs);
            w.WriteAttributeString("xmlns", "r", null, RelNs);
            w.WriteStartElement("sheets", MainNs);
            var id = 1;
            foreach (var sheet in listed)
            {
                w.WriteStartElement("sheet", MainNs);
                w.WriteAttributeString("name", sheet.Name);
                w.WriteAttributeString("sheetId", (id++).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("id", RelNs, $"rId{sheet.Part}");
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
        });
        Part("xl/_rels/workbook.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", "http://schemas.openxmlformats.org/package/2006/relationships");
            foreach (var sheet in listed)
                Relationship(w, $"rId{sheet.Part}", RelNs + "/worksheet", $"worksheets/sheet{sheet.Part}.xml");
            Relationship(w, "rIdStyles", RelNs + "/styles", "styles.xml");
            w.WriteEndElement();
        });
        using var styles = new StreamWriter(_zip.CreateEntry("xl/styles.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        styles.Write("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>");
        styles.Write(Styles);
    }

    /// <summary>Closes the archive. Without <see cref="Finish"/> it lists no sheets: a failed export is never mistaken for a good one.</summary>
    public void Dispose()
    {
        if (_open is { IsDone: false })
            _open.Done();
        _zip.Dispose();
    }

    // Styles: 0 plain, 1 header (bold), 2 date, 3 text shown as typed (quotePrefix).
    private const string Styles =
        """<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""" +
        """<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>""" +
        """<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>""" +
        """<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>""" +
        """<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>""" +
        """<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>""" +
        """<cellXfs count="4">""" +
        """<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>""" +
        """<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>""" +
        """<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>""" +
        """<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>""" +
        """</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>""";

    private void Part(string name, Action<XmlWriter> body)
    {
        using var writer = XmlWriter.Create(_zip.CreateEntry(name, CompressionLevel.Fastest).Open(), XmlSettings);
        writer.WriteStartDocument(true);
        body(writer);
        writer.WriteEndDocument();
    }

    private static void Default(XmlWriter w, string extension, string type)
    {
        w.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("Extension", extension);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Override(XmlWriter w, string part, string type)
    {
        w.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("PartName", part);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Relationship(XmlWriter w, string id, string type, string target)
    {
        w.WriteStartElement("Relationship", "http://schemas.openxmlformats.org/package/2006/relationships");
        w.WriteAttributeString("Id", id);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Target", target);
        w.WriteEndElement();
    }

    /// <summary>True for text a spreadsheet would read as a formula or a command (CSV/formula injection).</summary>
    public static bool LooksLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool IsXmlChar(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
        if (char.IsLowSurrogate(c))
            return i > 0 && char.IsHighSurrogate(text[i - 1]);
        return c is '\t' or '\n' or '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF');
    }

    /// <summary>Column letters: 0 is A, 25 is Z, 26 is AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <summary>
    /// One sheet being written: a frozen, bold header row, then rows as they come. The sheet
    /// part is written as text rather than through XmlWriter: it is the hot loop of a 100,000-row
    /// export, and its few element shapes are fixed; every value goes through <see cref="Escape"/>.
    /// </summary>
    public sealed class SheetWriter : IDisposable
    {
        private readonly StreamWriter _out;
        private readonly string[] _columns;
        private const int BufferChars = 8 * 1024;
        private readonly char[] _number = new char[32];
        private int _row;

        internal SheetWriter(ZipArchiveEntry entry, IReadOnlyList<XlsxColumn> columns)
        {
            _columns = [.. Enumerable.Range(0, columns.Count).Select(ColumnName)];
            // A small buffer: the compressor buffers anyway, and a 64 K-char buffer (plus its
            // encoded bytes) landed on the large object heap once per sheet, 200 times an export,
            // where only a full collection frees it (bench/Harbor.WorkbookBench export-once).
            _out = new StreamWriter(entry.Open(), new UTF8Encoding(false), BufferChars);
            _out.Write("""<?xml version="1.0" encoding="utf-8" standalone="yes"?>""");
            _out.Write($"""<worksheet xmlns="{MainNs}" xmlns:r="{RelNs}">""");
            _out.Write("""<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>""");
            _out.Write("""<sheetFormatPr defaultRowHeight="15"/><cols>""");
            for (var i = 0; i < columns.Count; i++)
                _out.Write(string.Create(CultureInfo.InvariantCulture, $"""<col min="{i + 1}" max="{i + 1}" width="{columns[i].Width}" customWidth="1"/>"""));
            _out.Write("</cols><sheetData>");
            StartRow();
            for (var i = 0; i < columns.Count; i++)
                TextCell(i, columns[i].Header, HeaderStyle);
            _out.Write("</row>");
        }

        /// <summary>Data rows written so far (the header not counted).</summary>
        public int Rows => Math.Max(0, _row - 1);

        internal bool IsDone { get; private set; }

        public void WriteRow(ReadOnlySpan<XlsxCell> cells)
        {
            StartRow();
            for (var i = 0; i < cells.Length && i < _columns.Length; i++)
            {
                var cell = cells[i];
                if (cell.Text is { } text)
                    TextCell(i, text, LooksLikeFormula(text) ? TextStyle : 0);
                else if (cell.Date is { } date)
                    NumberCell(i, date.DayNumber - ExcelEpoch, DateStyle);
                else if (cell.IsNumber)
                    NumberCell(i, cell.Number, 0);
            }

            _out.Write("</row>");
        }

        public void Dispose() => Done();

        /// <summary>Closes the sheet part; the next sheet can start.</summary>
        public void Done()
        {
            if (IsDone)
                return;
            IsDone = true;
            _out.Write("</sheetData></worksheet>");
            _out.Dispose();
        }

        private void StartRow()
        {
            _row++;
            _out.Write("<row r=\"");
            WriteInt(_row);
            _out.Write("\">");
        }

        private void Reference(int column)
        {
            _out.Write(" r=\"");
            _out.Write(_columns[column]);
            WriteInt(_row);
            _out.Write('"');
        }

        private void TextCell(int column, string text, int style)
        {
            _out.Write("<c");
            Reference(column);
            if (style != 0)
                _out.Write(style == TextStyle ? " s=\"3\"" : " s=\"1\"");
            _out.Write(char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])
                ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                : " t=\"inlineStr\"><is><t>");
            Escape(text);
            _out.Write("</t></is></c>");
        }

        private void NumberCell(int column, double value, int style)
        {
            _out.Write("<c");
            Reference(column);
            if (style == DateStyle)
                _out.Write(" s=\"2\"");
            _out.Write("><v>");
            if (value == Math.Floor(value) && Math.Abs(value) < int.MaxValue)
                WriteInt((int)value);
            else
                _out.Write(value.ToString("R", CultureInfo.InvariantCulture));
            _out.Write("</v></c>");
        }

        private void WriteInt(int value)
        {
            value.TryFormat(_number, out var written, default, CultureInfo.InvariantCulture);
            _out.Write(_number, 0, written);
        }

        /// <summary>
        /// Text content escaped for XML: markup characters as entities, a carriage return as
        /// &amp;#xD; (so it survives parsing), characters XML 1.0 cannot carry as U+FFFD.
        /// </summary>
        private void Escape(string text)
        {
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                string? replacement = c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '\r' => "&#xD;",
                    _ when !IsXmlChar(text, i) => "\uFFFD",
                    _ => null,
                };
                if (replacement is null)
                    continue;
                _out.Write(text.AsSpan(start, i - start));
                _out.Write(replacement);
                start = i + 1;
            }

            _out.Write(text.AsSpan(start));
        }
    }
}
