using System.Net;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Workbook;

/// <summary>Every import's report is kept, dry run, refused or real, and downloads as a workbook later.</summary>
public sealed class WorkbookImportReportTests
{
    private static byte[] Workbook(string salesperson) => Xlsx.Build(
        new SheetSpec(salesperson,
        [
            ["客户", "阶段"],
            ["报告一公司", "电话拜访"],
            ["报告二公司", "喝茶"],
        ]));

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Imports_EachRunKept_ListedNewestFirstAndDownloadableInEitherLanguage(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        await app.CreatePersonAsync("salesperson", group, "报告甲");
        using var admin = await app.AdminAsync();
        var file = Workbook("报告甲");

        var dry = await (await admin.PostAsync("/api/workbook/import?dryRun=true", Xlsx.Upload(file, "公司总表.xlsx"))).AssertStatusAsync(HttpStatusCode.OK);
        var dryId = dry.GetProperty("reportId").GetGuid();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var refused = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file, "公司总表.xlsx"))).AssertProblemAsync(HttpStatusCode.Conflict, "rows-rejected");
        var refusedId = refused.GetProperty("report").GetProperty("reportId").GetGuid();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var done = await (await admin.PostAsync("/api/workbook/import?skipRejected=true", Xlsx.Upload(file, "公司总表.xlsx"))).AssertStatusAsync(HttpStatusCode.OK);
        var doneId = done.GetProperty("reportId").GetGuid();

        var list = await (await admin.GetAsync("/api/workbook/imports")).AssertStatusAsync(HttpStatusCode.OK);
        var runs = list.EnumerateArray().Select(r => (
            r.GetProperty("id").GetGuid(), r.GetProperty("result").GetString(), r.GetProperty("imported").GetInt32(), r.GetProperty("rejected").GetInt32(),
            r.GetProperty("fileName").GetString(), r.GetProperty("sheets").GetInt32())).ToList();
        Assert.Equal(
        [
            (doneId, "imported", 1, 1, "公司总表.xlsx", 1),
            (refusedId, "refused", 1, 1, "公司总表.xlsx", 1),
            (dryId, "dry-run", 1, 1, "公司总表.xlsx", 1),
        ], runs);
        Assert.All(list.EnumerateArray(), r => Assert.Equal("Administrator", r.GetProperty("actor").GetString()));

        // The dry run's report, in Chinese: a summary, then every row with its fate and why.
        var response = await admin.GetAsync($"/api/workbook/imports/{dryId}/report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("harbor-import-dry-run-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var book = ProducedWorkbook.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["概要", "逐行结果"], book.SheetNames);
        var summary = book.Rows("概要").Select(ProducedWorkbook.Texts).ToList();
        Assert.Equal(["报告甲", "报告甲", "1", "1"], summary[1].Take(4));
        Assert.Equal(["合计", "试运行（未写入）", "1", "1"], summary[^1].Take(4));
        var rows = book.Rows("逐行结果").Select(ProducedWorkbook.Texts).ToList();
        Assert.Equal(["工作表", "行号", "客户", "结果", "原因", "说明"], rows[0].Take(6));
        Assert.Equal(["报告甲", "2", "报告一公司", "导入"], rows[1].Take(4));
        Assert.Equal(["报告甲", "3", "报告二公司", "拒绝", "unknown-stage"], rows[2].Take(5));

        // The real import's, in English when asked.
        var english = ProducedWorkbook.Read(await (await admin.GetAsync($"/api/workbook/imports/{doneId}/report?lang=en")).Content.ReadAsByteArrayAsync());
        Assert.Equal(["Summary", "Rows"], english.SheetNames);
        Assert.Equal(["Total", "imported", "1", "1"], ProducedWorkbook.Texts(english.Rows("Summary")[^1]).Take(4));
        Assert.Contains("protected", ProducedWorkbook.Texts(english.Rows("Rows")[1]));

        await (await admin.GetAsync($"/api/workbook/imports/{Guid.NewGuid()}/report")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
