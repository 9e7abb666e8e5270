using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// The kept report of an import (<see cref="Data.ImportRecord"/>): stored as the JSON the API
/// answered, gzip-compressed, and rendered as a workbook when downloaded.
/// </summary>
public static class ImportReports
{
    // The API's own JSON shape (camelCase, kebab-case statuses), so a kept report reads as the answer did.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The report as <see cref="JsonSerializer"/> writes it with <see cref="Json"/> (ReportId left out), its
    /// rows written by hand: the serializer's per-property work over 100,000 lines was a fifth of a dry run's
    /// CPU after reading (bench/Harbor.WorkbookBench, dotnet-trace). ImportReportsTests compares the two.
    /// </summary>
    public static byte[] Compress(ImportReport report)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new Utf8JsonWriter(gzip))
        {
            writer.WriteStartObject();
            writer.WriteString("result", report.Result);
            writer.WriteNumber("imported", report.Imported);
            writer.WriteNumber("rejected", report.Rejected);
            writer.WritePropertyName("sheets");
            JsonSerializer.Serialize(writer, report.Sheets, Json);
            writer.WriteStartArray("rows");
            Span<char> day = stackalloc char[10];
            foreach (var line in report.Rows)
            {
                writer.WriteStartObject();
                writer.WriteString("sheet", line.Sheet);
                writer.WriteNumber("row", line.Row);
                WriteIfSet(writer, "customer", line.Customer);
                writer.WriteString("outcome", line.Outcome);
                WriteIfSet(writer, "reason", line.Reason);
                WriteIfSet(writer, "detail", line.Detail);
                if (line.CustomerId is { } id)
                    writer.WriteString("customerId", id);
                WriteIfSet(writer, "salesperson", line.Salesperson);
                if (line.Status is { } status)
                    writer.WriteString("status", StatusNames[status]);
                if (line.StartsOn is { } starts && starts.TryFormat(day, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                    writer.WriteString("startsOn", day[..written]);
                if (line.DueOn is { } due && due.TryFormat(day, out written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                    writer.WriteString("dueOn", day[..written]);
                writer.WriteEndObject();
                // Utf8JsonWriter keeps what it writes until flushed: a few pages at a time, not the whole report.
                if (writer.BytesPending > 1 << 16)
                    writer.Flush();
            }

            writer.WriteEndArray();
            writer.WritePropertyName("skippedSheets");
            JsonSerializer.Serialize(writer, report.SkippedSheets, Json);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // As the enum converter above names them.
    private static readonly Dictionary<Harbor.Domain.Customers.CustomerStatus, string> StatusNames =
        Enum.GetValues<Harbor.Domain.Customers.CustomerStatus>().ToDictionary(s => s, s => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString()));

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
    }

    public static ImportReport Decompress(byte[] stored)
    {
        using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<ImportReport>(gzip, Json) ?? throw new InvalidDataException("An empty import report.");
    }

    /// <summary>
    /// The report as a workbook: a summary sheet (each uploaded sheet with its salesperson and
    /// counts, then the sheets left out), and every row with its fate and, if rejected, why.
    /// </summary>
    /// <param name="at">When it ran, in the company's time zone.</param>
    public static WorkbookFile Render(ImportReport report, DateTimeOffset at, SheetLanguage language, string fileName)
    {
        var chinese = language == SheetLanguage.Chinese;
        var file = MasterSheets.TemporaryFile();
        try
        {
            using (var workbook = new XlsxWriter(file))
            {
                var summary = workbook.AddSheet(chinese ? "概要" : "Summary",
                [
                    new XlsxColumn(chinese ? "工作表" : "Sheet", 20),
                    new XlsxColumn(chinese ? "销售人员" : "Salesperson", 16),
                    new XlsxColumn(chinese ? "导入" : "Imported", 10),
                    new XlsxColumn(chinese ? "拒绝" : "Rejected", 10),
                    new XlsxColumn(chinese ? "说明" : "Note", 50),
                ]);
                foreach (var sheet in report.Sheets)
                    summary.WriteRow([XlsxCell.Of(sheet.Sheet), XlsxCell.Of(sheet.Salesperson), XlsxCell.Of(sheet.Imported), XlsxCell.Of(sheet.Rejected), XlsxCell.Empty]);
                foreach (var skipped in report.SkippedSheets)
                    summary.WriteRow([XlsxCell.Of(skipped.Sheet), XlsxCell.Empty, XlsxCell.Empty, XlsxCell.Empty,
                        XlsxCell.Of((chinese ? "已跳过：" : "skipped: ") + skipped.Reason)]);
                summary.WriteRow([
                    XlsxCell.Of(WorkbookText.Total(language)), XlsxCell.Of(ResultText(report.Result, language)),
                    XlsxCell.Of(report.Imported), XlsxCell.Of(report.Rejected), XlsxCell.Of(at.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                ]);
                summary.Done();

                var rows = workbook.AddSheet(chinese ? "逐行结果" : "Rows",
                [
                    new XlsxColumn(chinese ? "工作表" : "Sheet", 16),
                    new XlsxColumn(chinese ? "行号" : "Row", 8),
                    new XlsxColumn(chinese ? "客户" : "Customer", 36),
                    new XlsxColumn(chinese ? "结果" : "Outcome", 10),
                    new XlsxColumn(chinese ? "原因" : "Reason", 20),
                    new XlsxColumn(chinese ? "说明" : "Detail", 60),
                    new XlsxColumn(chinese ? "销售人员" : "Salesperson", 14),
                    new XlsxColumn(chinese ? "状态" : "Status", 12),
                    new XlsxColumn(chinese ? "开始日期" : "Start", 12),
                    new XlsxColumn(chinese ? "到期日" : "Due", 12),
                ]);
                var cells = new XlsxCell[10];
                foreach (var line in report.Rows)
                {
                    cells[0] = XlsxCell.Of(line.Sheet);
                    cells[1] = XlsxCell.Of(line.Row);
                    cells[2] = XlsxCell.Of(line.Customer);
                    cells[3] = XlsxCell.Of(OutcomeText(line.Outcome, language));
                    cells[4] = XlsxCell.Of(line.Reason);
                    cells[5] = XlsxCell.Of(line.Detail);
                    cells[6] = XlsxCell.Of(line.Salesperson);
                    cells[7] = XlsxCell.Of(line.Status is { } status ? WorkbookText.Status(status, language) : null);
                    cells[8] = XlsxCell.Of(line.StartsOn);
                    cells[9] = XlsxCell.Of(line.DueOn);
                    rows.WriteRow(cells);
                }

                rows.Done();
                workbook.Finish();
            }

            file.Position = 0;
            return new WorkbookFile(file, fileName, report.Rows.Count);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static string ResultText(string result, SheetLanguage language) => (result, language) switch
    {
        ("dry-run", SheetLanguage.Chinese) => "试运行（未写入）",
        ("imported", SheetLanguage.Chinese) => "已导入",
        ("refused", SheetLanguage.Chinese) => "已拒绝（未写入）",
        ("dry-run", _) => "dry run (nothing written)",
        ("refused", _) => "refused (nothing written)",
        _ => result,
    };

    private static string OutcomeText(string outcome, SheetLanguage language) => (outcome, language) switch
    {
        ("imported", SheetLanguage.Chinese) => "导入",
        ("rejected", SheetLanguage.Chinese) => "拒绝",
        _ => outcome,
    };
}
