using System.IO.Compression;
using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Web.Data;
using Harbor.Web.Features.Workbook;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// The upload's rows are kept packed (UploadedWorkbook.PackedRows) and the report's lines as small values
/// (ImportWorkbook.ImportLines), both made whole when read: what comes back must be exactly what went in,
/// and the kept report written from the packed lines exactly what the serializer writes for the records.
/// </summary>
public sealed class WorkbookPackedTests
{
    [Fact]
    public void PackedRows_GiveBackEveryRowAsAdded_NullsDatesAndLongTextsToo()
    {
        var longText = new string('长', 70_000); // past one char's length (a hand-made file may hold it)
        UploadedRow[] rows =
        [
            new(2, "北京星辰科技有限公司", "张三", "13800138000", "签约收款", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 16), "91110000MA01ABCD1X", "北京", "备注"),
            new(3, null, null, null, null, null, null, null, null, null),
            new(7, "乙😀公司", null, "", "电话拜访", DateOnly.MinValue, DateOnly.MaxValue, null, longText, "x"),
            new(9, longText, longText, null, null, null, new DateOnly(2027, 1, 1), null, null, longText),
        ];
        var packed = new UploadedWorkbook.PackedRows();
        foreach (var row in rows)
            packed.Add(row);

        Assert.Equal(rows.Length, packed.Count);
        Assert.Equal(rows, packed);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i], packed[i]);
            Assert.Equal(rows[i].Row, packed.RowNumber(i));
            Assert.Equal(rows[i].Customer, packed.Customer(i));
            var text = packed.CustomerText(i, out var has).ToString();
            Assert.Equal((rows[i].Customer is not null, rows[i].Customer ?? ""), (has, text));
        }
    }

    [Fact]
    public void Read_RowsComeBackPacked_TheSameRowsAsTheSheetHolds()
    {
        var file = Xlsx.Build(new SheetSpec("包装甲",
        [
            ["客户", "联系人", "电话", "阶段", "开始日期"],
            ["  包装一公司 ", "李四", 13800138000d, "电话拜访", "2026-11-02"],
            [null, null, null, null, null],
            ["包装二公司", null, "139-0000-0000", null, null],
        ]));

        var book = UploadedWorkbook.Read(() => new MemoryStream(file), new WorkbookOptions()).Value!;

        var sheet = Assert.Single(book.Sheets);
        Assert.IsType<UploadedWorkbook.PackedRows>(sheet.Rows);
        Assert.Equal(
        [
            new UploadedRow(2, "包装一公司", "李四", "13800138000", "电话拜访", new DateOnly(2026, 11, 2), null, null, null, null),
            new UploadedRow(4, "包装二公司", null, "139-0000-0000", null, null, null, null, null, null),
        ], sheet.Rows);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_PackedLines_ReadAndKeptAsTheRecordsWouldBe(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        await app.CreatePersonAsync("salesperson", group, "包装乙");
        var file = Xlsx.Build(
            new SheetSpec("包装乙",
            [
                ["客户", "电话", "阶段"],
                ["包装三公司", "13700000001", "签约收款"],
                ["包装四公司", "13700000002", null],
                ["包装三公司", null, null],
                ["包装五公司", null, "不是阶段"],
            ]),
            new SheetSpec("无此人包装", [["客户"], ["包装六公司"]]));
        var book = UploadedWorkbook.Read(() => new MemoryStream(file), new WorkbookOptions()).Value!;
        // A book made elsewhere (not packed) with a name to trim: the line names the customer as its details do.
        var listed = new UploadedBook([new UploadedSheet("包装乙", new HashSet<SheetField> { SheetField.Customer }, [
            new UploadedRow(2, "  包装七公司 ", null, null, null, null, null, null, null, null),
            new UploadedRow(3, "  包装三公司 ", null, null, null, null, null, null, null, null),
        ])], []);

        var (real, refused, fromList) = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var admin = (await db.Users.AsNoTracking().FirstAsync(u => u.Role == Role.Admin)).AsViewer();
            var refusedRun = await services.GetRequiredService<ImportWorkbook>().HandleAsync(admin, book, new ImportRequest(false, false, "a.xlsx"), CancellationToken.None);
            db.ChangeTracker.Clear();
            var realRun = await services.GetRequiredService<ImportWorkbook>().HandleAsync(admin, book, new ImportRequest(false, true, "a.xlsx"), CancellationToken.None);
            db.ChangeTracker.Clear();
            var listRun = await services.GetRequiredService<ImportWorkbook>().HandleAsync(admin, listed, new ImportRequest(true, true, "b.xlsx"), CancellationToken.None);
            return (realRun, refusedRun, listRun);
        });

        var lines = real.Report.Rows.Select(l => (l.Sheet, l.Row, l.Customer, l.Outcome, l.Reason, l.CustomerId is not null, l.Salesperson, l.Status)).ToList();
        Assert.Equal(
        [
            ("包装乙", 2, (string?)"包装三公司", "imported", (string?)null, true, (string?)"包装乙", (Harbor.Domain.Customers.CustomerStatus?)Harbor.Domain.Customers.CustomerStatus.Signed),
            ("包装乙", 3, "包装四公司", "imported", null, true, "包装乙", Harbor.Domain.Customers.CustomerStatus.Protected),
            ("包装乙", 4, "包装三公司", "rejected", "duplicate-in-file", false, "包装乙", null),
            ("包装乙", 5, "包装五公司", "rejected", "unknown-stage", false, "包装乙", null),
            ("无此人包装", 2, "包装六公司", "rejected", "unknown-salesperson", false, null, null),
        ], lines);
        Assert.Equal("The same customer as 包装乙 row 2.", real.Report.Rows[2].Detail);
        Assert.Equal(3, real.Rejected.Count);
        Assert.All(refused.Report.Rows, l => Assert.Null(l.CustomerId));
        Assert.Equal("refused", refused.Report.Result);
        Assert.Equal([("包装七公司", "imported"), ("  包装三公司 ", "rejected")], fromList.Report.Rows.Select(l => (l.Customer!, l.Outcome)).ToList());

        // The kept report, written from the packed lines, is the serializer's JSON of the records.
        foreach (var outcome in new[] { real, refused, fromList })
        {
            using var gzip = new GZipStream(new MemoryStream(ImportReports.Compress(outcome.Report)), CompressionMode.Decompress);
            using var text = new StreamReader(gzip);
            Assert.Equal(JsonSerializer.Serialize(outcome.Report with { ReportId = null, Rows = outcome.Report.Rows.ToList() }, ImportReports.Json), text.ReadToEnd());
        }
    }
}
