using Bunit;
using Harbor.Web.Data;
using Harbor.Web.Features.Workbook;
using Harbor.Web.Tests.Workbook;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>
/// The master workbook's pages on a real (in-memory) registry: the reconcile report with each
/// kind of difference highlighted, and the import wizard's dry run, confirmation and kept report.
/// </summary>
public sealed class WorkbookPagesTests : IAsyncDisposable
{
    private readonly ComponentContext _ui = new();

    private static void Upload(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, byte[] file, string name) =>
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(file, name));

    [Fact]
    public async Task Reconcile_SheetOfOneSalesperson_EachKindOfDifferenceHighlighted()
    {
        var zhang = await _ui.SalespersonAsync("张三", "华东组");
        var li = await _ui.SalespersonAsync("李四", "华南组");
        await _ui.RegisterAsync(zhang, "北京星辰科技有限公司");
        await _ui.RegisterAsync(zhang, "上海云帆网络科技有限公司");
        await _ui.RegisterAsync(li, "广州南风贸易有限公司");
        var sheet = Xlsx.Build(new SheetSpec("张三",
        [
            ["客户", "到期日"],
            ["北京星辰科技有限公司", new DateOnly(2026, 12, 20)],
            ["广州南风贸易有限公司", null],
            ["深圳未报备公司", null],
        ]));

        var cut = _ui.Render<WorkbookPage>();
        Assert.Contains("lang=zh", cut.Find("[data-test='export-workbook']").GetAttribute("href"));
        Assert.True(cut.Find("[data-test='export-workbook']").HasAttribute("download"));
        Upload(cut, sheet, "张三.xlsx");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='reconcile-report']")));
        Assert.Contains("销售：张三（华东组）", cut.Find("[data-test='reconcile-sheet']").TextContent);
        var different = cut.Find("tr.harbor-diff-different");
        Assert.Contains("北京星辰科技有限公司", different.TextContent);
        Assert.Equal("12月20日", different.QuerySelector("[data-test='sheet-value']")!.TextContent);
        Assert.Equal("12月16日", different.QuerySelector("[data-test='master-value']")!.TextContent);
        var other = cut.Find("tr.harbor-diff-held-by-other");
        Assert.Contains("广州南风贸易有限公司", other.TextContent);
        Assert.Contains("李四（华南组）", other.TextContent);
        Assert.Contains("深圳未报备公司", cut.Find("tr.harbor-diff-held-by-nobody").TextContent);
        Assert.Contains("需要先报备", cut.Find("tr.harbor-diff-held-by-nobody").TextContent);
        Assert.Contains("上海云帆网络科技有限公司", cut.Find("tr.harbor-diff-missing").TextContent);
        Assert.Equal("不一致 1", cut.Find("[data-test='count-different']").TextContent.Trim());
    }

    [Fact]
    public void Reconcile_NotAWorkbook_SaysSoAndShowsNoReport()
    {
        var cut = _ui.Render<WorkbookPage>();
        Upload(cut, "just text"u8.ToArray(), "notes.xlsx");

        cut.WaitForAssertion(() => Assert.Contains("不是可读取的 .xlsx", cut.Find("[data-test='upload-problem']").TextContent));
        Assert.Empty(cut.FindAll("[data-test='reconcile-report']"));
    }

    [Fact]
    public async Task Import_DryRunThenSkipRejectedAndConfirm_ImportsAndKeepsBothReports()
    {
        var wang = await _ui.SalespersonAsync("王五", "华北组");
        var admin = await _ui.AdminAsync();
        var file = Xlsx.Build(new SheetSpec("王五",
        [
            ["客户", "阶段"],
            ["导入一公司", "电话拜访"],
            ["导入二公司", "喝茶"],
        ]));
        var dialogs = _ui.Render<MudDialogProvider>();
        var cut = _ui.Bunit.Render<ImportPage>(p => p.AddCascadingValue(ComponentContext.SignedIn(admin)));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='import-history']")));

        Upload(cut, file, "总表.xlsx");

        cut.WaitForAssertion(() => Assert.Equal("dry-run", cut.Find("[data-test='import-report']").GetAttribute("data-result")));
        Assert.Equal("拒绝 1 行", cut.Find("[data-test='import-rejected']").TextContent.Trim());
        var rejected = cut.Find("tr.harbor-diff-rejected");
        Assert.Contains("导入二公司", rejected.TextContent);
        Assert.Contains("阶段名称无法识别", rejected.TextContent);
        Assert.True(cut.Find("[data-test='import-confirm']").HasAttribute("disabled"));
        Assert.Single(cut.FindAll("[data-test='history-result']"));

        _ui.Clock.Advance(TimeSpan.FromMinutes(2));
        await cut.InvokeAsync(() => cut.Find("input[data-test='import-skip-rejected'], [data-test='import-skip-rejected'] input").Change(true));
        // Each step re-renders: find the button again once it is enabled, and click it on the renderer's thread.
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-test='import-confirm']").HasAttribute("disabled")));
        await cut.InvokeAsync(() => cut.Find("[data-test='import-confirm']").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("跳过被拒绝的 1 行", dialogs.Find(".mud-dialog").TextContent));
        await dialogs.InvokeAsync(() => dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "导入").Click());

        cut.WaitForAssertion(() => Assert.Equal("imported", cut.Find("[data-test='import-report']").GetAttribute("data-result")));
        Assert.Equal(["已导入", "试运行结果（未写入）"], cut.FindAll("[data-test='history-result']").Select(r => r.TextContent.Trim()));
        Assert.Equal(2, cut.FindAll("[data-test='history-download']").Count);
        using var scope = _ui.Bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var imported = await db.Customers.AsNoTracking().SingleAsync();
        Assert.Equal(("导入一公司", wang.Id), (imported.Name, imported.OwnerId));
        Assert.Equal(["dry-run", "imported"], await db.ImportRecords.AsNoTracking().OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => r.Result).ToListAsync());
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
