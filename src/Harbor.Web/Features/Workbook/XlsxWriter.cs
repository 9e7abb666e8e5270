using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
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
    // One buffer for every sheet of the workbook (one is open at a time), below the large
    // object heap's 85 KB: 201 sheets used to allocate a writer and its buffers each.
    private readonly byte[] _buffer = new byte[32 * 1024];
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
        _open = new SheetWriter(_zip.CreateEntry($"xl/worksheets/sheet{part}.xml", CompressionLevel.Fastest), columns, _buffer);
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
    /// part is written as UTF-8 bytes rather than through XmlWriter or a StreamWriter: it is the
    /// hot loop of a 100,000-row export, and its few element shapes are fixed, so they are
    /// encoded once (the <c>u8</c> literals) and only the values are encoded per cell, straight
    /// into one buffer that the workbook lends to each sheet in turn; every value goes through
    /// <see cref="Escape"/>. The per-cell methods are compiled optimised from their first call:
    /// StreamWriter, which they replace, is precompiled in the runtime, and the first export after
    /// a start ran these at tier 0 for much of its 100,000 rows (bench/Harbor.Bench workbook).
    /// </summary>
    public sealed class SheetWriter : IDisposable
    {
        private readonly Stream _out;
        private readonly byte[] _buffer;
        private readonly byte[][] _columns;
        private int _used;
        private int _row;

        internal SheetWriter(ZipArchiveEntry entry, IReadOnlyList<XlsxColumn> columns, byte[] buffer)
        {
            _columns = [.. Enumerable.Range(0, columns.Count).Select(i => Encoding.ASCII.GetBytes(ColumnName(i)))];
            _buffer = buffer;
            _out = entry.Open();
            Raw("""<?xml version="1.0" encoding="utf-8" standalone="yes"?>"""u8);
            Raw("""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"""u8);
            Raw("""<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"""u8);
            Raw("""<sheetFormatPr defaultRowHeight="15"/><cols>"""u8);
            for (var i = 0; i < columns.Count; i++)
                Text(string.Create(CultureInfo.InvariantCulture, $"""<col min="{i + 1}" max="{i + 1}" width="{columns[i].Width}" customWidth="1"/>"""));
            Raw("</cols><sheetData>"u8);
            StartRow();
            for (var i = 0; i < columns.Count; i++)
                TextCell(i, columns[i].Header, HeaderStyle);
            Raw("</row>"u8);
        }

        /// <summary>Data rows written so far (the header not counted).</summary>
        public int Rows => Math.Max(0, _row - 1);

        internal bool IsDone { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            Raw("</row>"u8);
        }

        public void Dispose() => Done();

        /// <summary>Closes the sheet part; the next sheet can start.</summary>
        public void Done()
        {
            if (IsDone)
                return;
            IsDone = true;
            Raw("</sheetData></worksheet>"u8);
            Flush();
            _out.Dispose();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void StartRow()
        {
            _row++;
            Raw("<row r=\""u8);
            Int(_row);
            Raw("\">"u8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Reference(int column)
        {
            Raw(" r=\""u8);
            Raw(_columns[column]);
            Int(_row);
            Raw("\""u8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TextCell(int column, string text, int style)
        {
            Raw("<c"u8);
            Reference(column);
            if (style != 0)
                Raw(style == TextStyle ? " s=\"3\""u8 : " s=\"1\""u8);
            Raw(char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])
                ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">"u8
                : " t=\"inlineStr\"><is><t>"u8);
            Escape(text);
            Raw("</t></is></c>"u8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void NumberCell(int column, double value, int style)
        {
            Raw("<c"u8);
            Reference(column);
            if (style == DateStyle)
                Raw(" s=\"2\""u8);
            Raw("><v>"u8);
            if (value == Math.Floor(value) && Math.Abs(value) < int.MaxValue)
                Int((int)value);
            else
                Text(value.ToString("R", CultureInfo.InvariantCulture));
            Raw("</v></c>"u8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Int(int value)
        {
            Room(11);
            value.TryFormat(_buffer.AsSpan(_used), out var written, default, CultureInfo.InvariantCulture);
            _used += written;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Raw(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length - _used)
            {
                Flush();
                if (bytes.Length > _buffer.Length)
                {
                    _out.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        /// <summary>Makes room for <paramref name="bytes"/> (at most the buffer's size) at the end of the buffer.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Room(int bytes)
        {
            if (bytes > _buffer.Length - _used)
                Flush();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Flush()
        {
            if (_used == 0)
                return;
            _out.Write(_buffer, 0, _used);
            _used = 0;
        }

        /// <summary>Text known to be valid XML content (no markup, no lone surrogates), encoded as UTF-8 in pieces that fit the buffer.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Text(ReadOnlySpan<char> text)
        {
            while (!text.IsEmpty)
            {
                // At most 3 bytes a UTF-16 unit; a piece never ends between the halves of a pair.
                var take = Math.Min(text.Length, _buffer.Length / 3);
                if (take < text.Length && char.IsHighSurrogate(text[take - 1]))
                    take--;
                Room(take * 3);
                _used += Encoding.UTF8.GetBytes(text[..take], _buffer.AsSpan(_used));
                text = text[take..];
            }
        }

        /// <summary>
        /// Text content escaped for XML: markup characters as entities, a carriage return as
        /// &amp;#xD; (so it survives parsing), characters XML 1.0 cannot carry as U+FFFD. Most
        /// values need none of it and are encoded in one piece.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Escape(string text)
        {
            var span = text.AsSpan();
            var start = 0;
            for (var i = span.IndexOfAny(Special); i >= 0; i = Next(span, i + 1))
            {
                var c = text[i];
                ReadOnlySpan<byte> replacement = c switch
                {
                    '&' => "&amp;"u8,
                    '<' => "&lt;"u8,
                    '>' => "&gt;"u8,
                    '\r' => "&#xD;"u8,
                    _ when !IsXmlChar(text, i) => "\uFFFD"u8,
                    _ => [],
                };
                if (replacement.IsEmpty)
                    continue;
                Text(span[start..i]);
                Raw(replacement);
                start = i + 1;
            }

            Text(span[start..]);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Next(ReadOnlySpan<char> text, int from)
        {
            var at = text[from..].IndexOfAny(Special);
            return at < 0 ? -1 : from + at;
        }
    }

    /// <summary>
    /// What <see cref="SheetWriter"/> must look at: markup, the carriage return, the other
    /// control characters, surrogates (a pair is fine, a lone half is not) and U+FFFE/U+FFFF.
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(
        [.. "&<>\r", .. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c),
            .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c), '\uFFFE', '\uFFFF']);
}
