using System.IO.Compression;
using System.Text.Json;
using Harbor.Domain.Customers;
using Harbor.Web.Features.Workbook;

namespace Harbor.Web.Tests.Workbook;

/// <summary>The kept report's rows are written by hand: the JSON must be exactly what the serializer writes, and read back the same.</summary>
public sealed class ImportReportsCompressTests
{
    [Fact]
    public void Compress_WritesTheSerializersJsonAndReadsBackTheSameReport()
    {
        var id = Guid.CreateVersion7();
        var report = new ImportReport("imported", 3, 2,
            [new ImportSheetSummary("导入甲", id, "导入甲", 3, 1), new ImportSheetSummary("无此人", null, null, 0, 1)],
            [
                new ImportLine("导入甲", 2, "甲一公司", "imported", null, null, id, "导入甲", CustomerStatus.Protected, new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 10)),
                new ImportLine("导入甲", 3, "甲三公司 \"引号\" <b>&", "imported", null, null, Guid.Empty, "导入甲", CustomerStatus.Signed, new DateOnly(2026, 10, 1), null),
                new ImportLine("导入甲", 4, "Due Ltd.", "imported", "already-due", "Already past due: protected until 2026-12-01 10:00, then published.", id, "导入甲", CustomerStatus.PendingPublication, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)),
                new ImportLine("导入甲", 6, null, "rejected", "invalid", "The company name is required.\n第二行", null, "导入甲", null, null, null),
                new ImportLine("无此人", 2, "乙一公司😀", "rejected", "unknown-salesperson", "No salesperson is called '无此人'.", null, null, null, null, null),
            ],
            [new SkippedSheet("汇总", "no customer column")],
            ReportId: Guid.NewGuid());

        var stored = ImportReports.Compress(report);

        using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        Assert.Equal(JsonSerializer.Serialize(report with { ReportId = null }, ImportReports.Json), text.ReadToEnd());
        var back = ImportReports.Decompress(stored);
        Assert.Equal((report.Result, report.Imported, report.Rejected, (Guid?)null), (back.Result, back.Imported, back.Rejected, back.ReportId));
        Assert.Equal(report.Sheets, back.Sheets);
        Assert.Equal(report.Rows, back.Rows);
        Assert.Equal(report.SkippedSheets, back.SkippedSheets);
    }

    [Fact]
    public void Compress_EveryStatus_NamedAsTheApiNamesIt()
    {
        foreach (var status in Enum.GetValues<CustomerStatus>())
        {
            var report = new ImportReport("dry-run", 1, 0, [], [new ImportLine("s", 2, "c", "imported", null, null, null, null, status, null, null)], []);
            Assert.Equal(status, Assert.Single(ImportReports.Decompress(ImportReports.Compress(report)).Rows).Status);
        }
    }
}
