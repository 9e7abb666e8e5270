using Harbor.Web.Tests.Infrastructure;
using Harbor.Web.Tests.Workbook;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// The master workbook in a real browser, at phone and at desk size: the clerk downloads the master
/// and checks a salesperson's sheet against it (a different due date highlighted); the admin runs
/// the import wizard's dry run, then imports.
/// </summary>
public sealed class WorkbookFlowTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task Clerk_ReconcilesASheet_Admin_DryRunsThenImports(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var east = await app.CreateGroupAsync("华东组");
        var south = await app.CreateGroupAsync("华南组");
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        var li = await app.CreatePersonAsync("salesperson", south, "李四");
        var clerk = await app.CreatePersonAsync("clerk", null, "文员小周");
        await zhang.Client.RegisterOkAsync("北京星辰科技有限公司", "13800138000");
        await zhang.Client.RegisterOkAsync("上海云帆网络科技有限公司", "13900139002");
        await li.Client.RegisterOkAsync("广州南风贸易有限公司", "13700137003");

        // The clerk: the master downloads from the page; 张三's own sheet, edited in Excel, is checked.
        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.SignInAsync(clerk.Username, HarborApp.Password);
        await page.GotoAsync("/workbook");
        await page.WaitForInteractiveAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Test("export-workbook").ClickAsync());
        Assert.StartsWith("harbor-master-", download.SuggestedFilename);
        Assert.EndsWith(".xlsx", download.SuggestedFilename);

        var sheet = Xlsx.Build(new SheetSpec("张三",
        [
            ["客户", "电话", "到期日"],
            ["北京星辰科技有限公司", "13800138000", new DateOnly(2026, 12, 30)],
            ["广州南风贸易有限公司", null, null],
            ["深圳海湾物流有限公司", null, null],
        ]));
        await page.Test("reconcile-upload-file").SetInputFilesAsync(new FilePayload { Name = "张三的表.xlsx", MimeType = XlsxType, Buffer = sheet });
        var different = page.Locator("tr.harbor-diff-different");
        await different.WaitForAsync();
        Assert.Contains("北京星辰科技有限公司", await different.InnerTextAsync());
        Assert.Equal("12月30日", (await different.Locator("[data-test='sheet-value']").InnerTextAsync()).Trim());
        Assert.Equal("12月16日", (await different.Locator("[data-test='master-value']").InnerTextAsync()).Trim());
        Assert.Contains("李四（华南组）", await page.Locator("tr.harbor-diff-held-by-other").InnerTextAsync());
        Assert.Contains("深圳海湾物流有限公司", await page.Locator("tr.harbor-diff-held-by-nobody").InnerTextAsync());
        Assert.Contains("上海云帆网络科技有限公司", await page.Locator("tr.harbor-diff-missing").InnerTextAsync());
        // A highlighted row has its own colour, not the table's.
        var background = await different.Locator("td").First.EvaluateAsync<string>("td => getComputedStyle(td).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", background);
        await page.ScreenshotAsync("workbook-reconcile", screen);

        // The admin: a company's workbook, dry run first (every row and why), then the import.
        var admin = await chromium.OpenAsync(app.BaseAddress!, screen);
        await admin.SignInAsync("admin", HarborApp.AdminPassword);
        await admin.GotoAsync("/admin/import");
        await admin.WaitForInteractiveAsync();
        var master = Xlsx.Build(
            new SheetSpec("张三",
            [
                ["客户", "联系人", "电话", "阶段", "开始日期"],
                ["杭州西湖茶业有限公司", "陈女士", "0571-88886666", "电话拜访", new DateOnly(2026, 11, 28)],
                ["南京紫金软件有限公司", null, null, "约见", new DateOnly(2026, 11, 30)],
                ["北京星辰科技有限公司", null, null, null, null],
                ["苏州园林设计有限公司", null, null, "喝茶", null],
            ]),
            new SheetSpec("李四", [["客户", "阶段"], ["厦门鹭岛食品有限公司", "签约收款"]]));
        await admin.Test("import-upload-file").SetInputFilesAsync(new FilePayload { Name = "公司总表.xlsx", MimeType = XlsxType, Buffer = master });
        await admin.Locator("[data-test='import-report'][data-result='dry-run']").WaitForAsync();
        Assert.Equal("拒绝 2 行", (await admin.Test("import-rejected").InnerTextAsync()).Trim());
        Assert.Equal(2, await admin.Locator("tr.harbor-diff-rejected").CountAsync());
        Assert.Contains("总库中已有此客户", await admin.Locator("tr.harbor-diff-rejected").Filter(new() { HasText = "北京星辰科技有限公司" }).InnerTextAsync());
        Assert.True(await admin.Test("import-confirm").IsDisabledAsync());
        await admin.ScreenshotAsync("import-dry-run", screen);

        await admin.Test("import-skip-rejected").ClickAsync();
        await admin.Locator("[data-test='import-confirm']:enabled").ClickAsync();
        var dialog = admin.Locator(".mud-dialog");
        await dialog.WaitForAsync();
        Assert.Contains("跳过被拒绝的 2 行", await dialog.InnerTextAsync());
        await dialog.Locator("button").Filter(new() { HasText = "导入" }).Last.ClickAsync();
        await admin.Locator("[data-test='import-report'][data-result='imported']").WaitForAsync();
        Assert.Equal(2, await admin.Test("history-result").CountAsync());
        await admin.Locator(".mud-snackbar").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        await admin.ScreenshotAsync("import-done", screen);

        // The kept report downloads from the history.
        var report = await admin.RunAndWaitForDownloadAsync(() => admin.Test("history-download").First.ClickAsync());
        Assert.StartsWith("harbor-import-imported-", report.SuggestedFilename);

        // 张三 now holds the two imported customers beside his own.
        var mine = await (await zhang.Client.GetAsync("/api/me/customers")).AssertStatusAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(4, mine.GetProperty("slotsUsed").GetInt32());
    }
}
