using System.Net;
using System.Text.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// The import decides and writes its rows a window of 5,000 at a time, in file order
/// (ImportWorkbook.RowsPerWindow). A file of more than one window must come out exactly as if
/// every row had been decided first: the same fate for each row, a repeat of a row written in an
/// earlier window still a duplicate within the file (not a customer already in the registry), the
/// report in file order, and a rejection after thousands of written rows still leaving nothing.
/// </summary>
public sealed class WorkbookStreamingImportTests
{
    private const int FirstSheetRows = 6_000;

    private static List<(string Sheet, int Row, string Outcome, string? Reason)> Lines(JsonElement report) =>
        [.. report.GetProperty("rows").EnumerateArray().Select(r => (
            r.GetProperty("sheet").GetString()!,
            r.GetProperty("row").GetInt32(),
            r.GetProperty("outcome").GetString()!,
            r.TryGetProperty("reason", out var reason) ? reason.GetString() : null))];

    private static Task<int> CustomersAsync(HarborApp app) =>
        app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Customers.CountAsync());

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_MoreRowsThanOneWindow_SameFateAsTheDryRunInFileOrderAndAllOrNothing(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        await app.CreatePersonAsync("salesperson", group, "流式甲");
        await app.CreatePersonAsync("salesperson", group, "流式乙");
        var other = await app.CreatePersonAsync("salesperson", group, "流式丙");
        await other.Client.RegisterOkAsync("早已登记流式公司", "13712345678");
        using var admin = await app.AdminAsync();

        // The first sheet fills the first window and part of the second; signed rows take no slot.
        var first = new Cell?[FirstSheetRows + 1][];
        first[0] = ["客户", "电话", "阶段"];
        for (var i = 1; i <= FirstSheetRows; i++)
            first[i] = [$"流式{i:D5}贸易有限公司", $"139{i:D8}", "签约收款"];
        // The second sheet, read in the second window: repeats of rows written in the first.
        var file = Xlsx.Build(
            new SheetSpec("流式甲", first),
            new SheetSpec("流式乙",
            [
                ["客户", "电话"],
                ["流式00001贸易有限公司", null],
                ["别名流式公司", "13900000002"],
                ["早已登记流式公司", null],
                ["新的流式公司", null],
                ["流式06000贸易有限公司", null],
                ["", "12"],
                ["最后一个流式公司", "13600000000"],
            ]));
        var before = await CustomersAsync(app);

        var dry = await (await admin.PostAsync("/api/workbook/import?dryRun=true", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        List<(string, int, string, string?)> expected =
        [
            .. Enumerable.Range(2, FirstSheetRows).Select(row => ("流式甲", row, "imported", (string?)null)),
            ("流式乙", 2, "rejected", "duplicate-in-file"),
            ("流式乙", 3, "rejected", "duplicate-in-file"),
            ("流式乙", 4, "rejected", "customer-taken"),
            ("流式乙", 5, "imported", null),
            ("流式乙", 6, "rejected", "duplicate-in-file"),
            ("流式乙", 7, "rejected", "invalid"),
            ("流式乙", 8, "imported", null),
        ];
        Assert.Equal(expected, Lines(dry));
        Assert.Equal((FirstSheetRows + 2, 5), (dry.GetProperty("imported").GetInt32(), dry.GetProperty("rejected").GetInt32()));
        Assert.Equal(before, await CustomersAsync(app));

        // Rejected rows late in the file, not skipped: thousands of rows went to the writer before
        // the first rejection, and the refusal still leaves nothing and names no customer.
        var refused = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertProblemAsync(HttpStatusCode.Conflict, "rows-rejected");
        var refusedReport = refused.GetProperty("report");
        Assert.Equal(expected, Lines(refusedReport));
        Assert.All(refusedReport.GetProperty("rows").EnumerateArray(), r => Assert.True(!r.TryGetProperty("customerId", out var id) || id.ValueKind == JsonValueKind.Null));
        Assert.Equal(before, await CustomersAsync(app));

        var done = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file, fields: new Dictionary<string, string> { ["skipRejected"] = "true" })))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(expected, Lines(done));
        var written = done.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "imported")
            .Select(r => r.GetProperty("customerId").GetGuid()).ToHashSet();
        Assert.Equal(FirstSheetRows + 2, written.Count);
        Assert.Equal(before + FirstSheetRows + 2, await CustomersAsync(app));
        var stored = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Customers.AsNoTracking()
            .Where(c => c.Name == "流式00001贸易有限公司" || c.Name == "最后一个流式公司").Select(c => c.Id).ToListAsync());
        Assert.All(stored, id => Assert.Contains(id, written));
        Assert.Equal(2, stored.Count);
    }
}
