using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace Harbor.Web.Tests.Workbook;

/// <summary>A cell of a hand-made workbook, the way Excel itself would store it.</summary>
public abstract record Cell
{
    public static implicit operator Cell(string text) => new Text(text);
    public static implicit operator Cell(double number) => new Number(number);
    public static implicit operator Cell(DateOnly date) => new Date(date);

    public sealed record Text(string Value) : Cell;

    public sealed record Number(double Value) : Cell;

    public sealed record Date(DateOnly Value) : Cell;

    public sealed record Bool(bool Value) : Cell;
}

/// <summary>A sheet of a hand-made workbook; null cells are left out, as Excel does.</summary>
public sealed record SheetSpec(string Name, Cell?[][] Rows, string[]? Merged = null);

/// <summary>
/// Builds .xlsx files by hand, as Excel writes them (shared strings, a built-in date format),
/// so the tests feed Harbor files it did not make, including broken and hostile ones.
/// </summary>
public static class Xlsx
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static byte[] Build(params SheetSpec[] sheets) => Build(sheets, extra: null);

    public static byte[] Build(SheetSpec[] sheets, Action<ZipArchive>? extra)
    {
        var strings = new List<string>();
        var index = new Dictionary<string, int>();
        int Shared(string s)
        {
            if (!index.TryGetValue(s, out var i))
            {
                i = strings.Count;
                strings.Add(s);
                index[s] = i;
            }

            return i;
        }

        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var s = 0; s < sheets.Length; s++)
            {
                var xml = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}"><sheetData>""");
                for (var r = 0; r < sheets[s].Rows.Length; r++)
                {
                    xml.Append(CultureInfo.InvariantCulture, $"""<row r="{r + 1}">""");
                    for (var c = 0; c < sheets[s].Rows[r].Length; c++)
                    {
                        var reference = Column(c) + (r + 1).ToString(CultureInfo.InvariantCulture);
                        xml.Append(sheets[s].Rows[r][c] switch
                        {
                            null => "",
                            Cell.Text t => $"""<c r="{reference}" t="s"><v>{Shared(t.Value)}</v></c>""",
                            Cell.Number n => $"""<c r="{reference}"><v>{n.Value.ToString("R", CultureInfo.InvariantCulture)}</v></c>""",
                            Cell.Date d => $"""<c r="{reference}" s="1"><v>{d.Value.DayNumber - new DateOnly(1899, 12, 30).DayNumber}</v></c>""",
                            Cell.Bool b => $"""<c r="{reference}" t="b"><v>{(b.Value ? 1 : 0)}</v></c>""",
                            _ => throw new InvalidOperationException(),
                        });
                    }

                    xml.Append("</row>");
                }

                xml.Append("</sheetData>");
                if (sheets[s].Merged is { Length: > 0 } merged)
                    xml.Append(CultureInfo.InvariantCulture, $"""<mergeCells count="{merged.Length}">{string.Concat(merged.Select(m => $"<mergeCell ref=\"{m}\"/>"))}</mergeCells>""");
                xml.Append("</worksheet>");
                Entry(zip, $"xl/worksheets/sheet{s + 1}.xml", xml.ToString());
            }

            Entry(zip, "xl/sharedStrings.xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}" count="{strings.Count}" uniqueCount="{strings.Count}">{string.Concat(strings.Select(s => $"<si><t xml:space=\"preserve\">{SecurityElement.Escape(s)}</t></si>"))}</sst>""");
            Entry(zip, "xl/styles.xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{Main}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>""");
            Entry(zip, "xl/workbook.xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{Main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{string.Concat(sheets.Select((s, i) => $"<sheet name=\"{SecurityElement.Escape(s.Name)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"))}</sheets></workbook>""");
            Entry(zip, "xl/_rels/workbook.xml.rels",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""");
            Entry(zip, "_rels/.rels",
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Entry(zip, "[Content_Types].xml",
                $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))}</Types>""");
            extra?.Invoke(zip);
        }

        return output.ToArray();
    }

    public static void Entry(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <summary>A multipart body with the file in the field <c>file</c>, as a browser sends it.</summary>
    public static MultipartFormDataContent Upload(byte[] file, string fileName = "master.xlsx", IDictionary<string, string>? fields = null)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(part, "file", fileName);
        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
            content.Add(new StringContent(value), key);
        return content;
    }
}

/// <summary>A cell of a produced workbook as its XML says: type, style and value.</summary>
public sealed record ReadCell(string Reference, string? Type, int Style, string? Value, bool HasFormula);

/// <summary>Reads a workbook Harbor produced, straight from its XML, with nothing in between.</summary>
public sealed class ProducedWorkbook
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private ProducedWorkbook(List<string> sheetNames, Dictionary<string, XDocument> sheets, XDocument styles, List<string> partXml)
    {
        SheetNames = sheetNames;
        Sheets = sheets;
        Styles = styles;
        AllXml = partXml;
    }

    public IReadOnlyList<string> SheetNames { get; }
    public IReadOnlyDictionary<string, XDocument> Sheets { get; }
    public XDocument Styles { get; }
    public IReadOnlyList<string> AllXml { get; }

    public static ProducedWorkbook Read(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        string Text(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open());
            return reader.ReadToEnd();
        }

        var workbook = XDocument.Parse(Text("xl/workbook.xml"));
        var rels = XDocument.Parse(Text("xl/_rels/workbook.xml.rels"));
        var targets = rels.Root!.Elements().ToDictionary(e => (string)e.Attribute("Id")!, e => (string)e.Attribute("Target")!);
        var names = new List<string>();
        var sheets = new Dictionary<string, XDocument>();
        foreach (var sheet in workbook.Descendants(Main + "sheet"))
        {
            var name = (string)sheet.Attribute("name")!;
            names.Add(name);
            sheets[name] = XDocument.Parse(Text("xl/" + targets[(string)sheet.Attribute(Rel + "id")!]));
        }

        var all = zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)).Select(e => Text(e.FullName)).ToList();
        return new ProducedWorkbook(names, sheets, XDocument.Parse(Text("xl/styles.xml")), all);
    }

    /// <summary>The rows of a sheet, each as its cells by column letter.</summary>
    public List<Dictionary<string, ReadCell>> Rows(string sheet) =>
        [.. Sheets[sheet].Descendants(Main + "row").Select(row => row.Elements(Main + "c").Select(c =>
        {
            var reference = (string)c.Attribute("r")!;
            var value = c.Element(Main + "is") is { } inline ? string.Concat(inline.Descendants(Main + "t").Select(t => t.Value)) : c.Element(Main + "v")?.Value;
            return new ReadCell(reference, (string?)c.Attribute("t"), (int?)c.Attribute("s") ?? 0, value, c.Element(Main + "f") is not null);
        }).ToDictionary(c => new string([.. c.Reference.TakeWhile(char.IsLetter)])))];

    /// <summary>The texts of a row, in column order.</summary>
    public static List<string?> Texts(Dictionary<string, ReadCell> row) => [.. row.OrderBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Value)];

    public XElement CellFormat(int style) => Styles.Descendants(Main + "cellXfs").Single().Elements(Main + "xf").ElementAt(style);

    public bool IsBold(int style)
    {
        var font = (int?)CellFormat(style).Attribute("fontId") ?? 0;
        return Styles.Descendants(Main + "fonts").Single().Elements(Main + "font").ElementAt(font).Element(Main + "b") is not null;
    }

    /// <summary>The number format code of a style, built-in or custom.</summary>
    public string NumberFormat(int style)
    {
        var id = (int?)CellFormat(style).Attribute("numFmtId") ?? 0;
        return Styles.Descendants(Main + "numFmt").FirstOrDefault(f => (int)f.Attribute("numFmtId")! == id)?.Attribute("formatCode")?.Value ?? $"builtin:{id}";
    }

    public static DateOnly DateOf(ReadCell cell) => new DateOnly(1899, 12, 30).AddDays(int.Parse(cell.Value!, CultureInfo.InvariantCulture));
}
