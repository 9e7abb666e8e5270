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
    public static byte[] Compress(ImportReport report) => Compress(report, null);

    /// <param name="memory">Bounds the garbage of a large report's lines (<see cref="ImportMemory"/>).</param>
    /// <remarks>
    /// The import's own lines (<see cref="ImportWorkbook.ImportLines"/>) are written from their packed
    /// form, not made into 100,000 records and customer strings first, and the compressed bytes gather
    /// in 64 KB pieces, not in a MemoryStream doubling through the large-object heap: together they were
    /// a 30 MB rise at the end of a 100,000-row import (docs/benchmarks.md, "Session 8, import6").
    /// </remarks>
    internal static byte[] Compress(ImportReport report, ImportMemory? memory)
    {
        using var buffer = new Pieces();
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
            var packed = report.Rows as ImportWorkbook.ImportLines;
            for (var index = 0; index < report.Rows.Count; index++)
            {
                if (packed is not null)
                {
                    packed.WriteTo(writer, index);
                }
                else
                {
                    var line = report.Rows[index];
                    WriteLine(writer, line.Sheet, line.Row, line.Customer, line.Customer is not null, line.Outcome, line.Reason, line.Detail,
                        line.CustomerId, line.Salesperson, line.Status, line.StartsOn, line.DueOn);
                }

                // Utf8JsonWriter keeps what it writes until flushed: a few pages at a time, not the whole report.
                if (writer.BytesPending > 1 << 16)
                    writer.Flush();
                if (index % 500 == 0)
                    memory?.Bound();
            }

            writer.WriteEndArray();
            writer.WritePropertyName("skippedSheets");
            JsonSerializer.Serialize(writer, report.SkippedSheets, Json);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static readonly JsonEncodedText SheetName = JsonEncodedText.Encode("sheet"), RowName = JsonEncodedText.Encode("row"),
        CustomerName = JsonEncodedText.Encode("customer"), OutcomeName = JsonEncodedText.Encode("outcome"), ReasonName = JsonEncodedText.Encode("reason"),
        DetailName = JsonEncodedText.Encode("detail"), CustomerIdName = JsonEncodedText.Encode("customerId"), SalespersonName = JsonEncodedText.Encode("salesperson"),
        StatusName = JsonEncodedText.Encode("status"), StartsOnName = JsonEncodedText.Encode("startsOn"), DueOnName = JsonEncodedText.Encode("dueOn");

    /// <summary>One line of the report as the serializer writes an <see cref="ImportLine"/> (nulls left out).</summary>
    internal static void WriteLine(Utf8JsonWriter writer, string sheet, int row, ReadOnlySpan<char> customer, bool hasCustomer, string outcome, string? reason,
        string? detail, Guid? customerId, string? salesperson, Harbor.Domain.Customers.CustomerStatus? status, DateOnly? startsOn, DateOnly? dueOn)
    {
        Span<char> day = stackalloc char[10];
        writer.WriteStartObject();
        writer.WriteString(SheetName, sheet);
        writer.WriteNumber(RowName, row);
        if (hasCustomer)
            writer.WriteString(CustomerName, customer);
        writer.WriteString(OutcomeName, outcome);
        if (reason is not null)
            writer.WriteString(ReasonName, reason);
        if (detail is not null)
            writer.WriteString(DetailName, detail);
        if (customerId is { } id)
            writer.WriteString(CustomerIdName, id);
        if (salesperson is not null)
            writer.WriteString(SalespersonName, salesperson);
        if (status is { } known)
            writer.WriteString(StatusName, StatusNames[known]);
        if (startsOn is { } starts && starts.TryFormat(day, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            writer.WriteString(StartsOnName, day[..written]);
        if (dueOn is { } due && due.TryFormat(day, out written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            writer.WriteString(DueOnName, day[..written]);
        writer.WriteEndObject();
    }

    /// <summary>A write-only stream gathering its bytes in 64 KB pieces (under the large-object heap's threshold), copied once into the result.</summary>
    private sealed class Pieces : Stream
    {
        private const int PieceSize = 64 * 1024;
        private readonly List<byte[]> _pieces = [];
        private int _used = PieceSize;
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                if (_used == PieceSize)
                {
                    _pieces.Add(new byte[PieceSize]);
                    _used = 0;
                }

                var take = Math.Min(buffer.Length, PieceSize - _used);
                buffer[..take].CopyTo(_pieces[^1].AsSpan(_used));
                (_used, _length) = (_used + take, _length + take);
                buffer = buffer[take..];
            }
        }

        public byte[] ToArray()
        {
            var all = new byte[_length];
            var at = 0;
            foreach (var piece in _pieces)
            {
                var take = (int)Math.Min(PieceSize, _length - at);
                piece.AsSpan(0, take).CopyTo(all.AsSpan(at));
                at += take;
            }

            return all;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    // As the enum converter above names them.
    private static readonly Dictionary<Harbor.Domain.Customers.CustomerStatus, string> StatusNames =
        Enum.GetValues<Harbor.Domain.Customers.CustomerStatus>().ToDictionary(s => s, s => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString()));

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
