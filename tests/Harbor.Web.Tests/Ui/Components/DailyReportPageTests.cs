using Bunit;
using Harbor.Domain.Access;
using Harbor.Web.Features.Reports;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>Rule 4 on screen: the day's changes per salesperson, due tomorrow, published today, printable.</summary>
public sealed class DailyReportPageTests : IAsyncLifetime
{
    private readonly PageContext _ui = new();
    private Viewer _zhang = default!;

    public async ValueTask InitializeAsync()
    {
        _zhang = await _ui.PersonAsync(Role.Salesperson, "张三", "华东组");
        await _ui.PersonAsync(Role.Salesperson, "李四", "华南组");
        await _ui.RegisterAsync(_zhang, "上海云帆网络科技有限公司");
        await _ui.PublishedAsync(_zhang, "北京星辰科技有限公司");
        _ui.Clock.Advance(TimeSpan.FromHours(1));
        await _ui.SweepAsync();
    }

    [Fact]
    public async Task Clerk_Today_TablePerSalespersonAndPublishedToday()
    {
        var clerk = await _ui.PersonAsync(Role.Clerk, "陈琳");

        var cut = _ui.RenderAs<DailyReportPage>(clerk);

        Assert.Contains("12月1日 的客户变动", cut.Markup);
        Assert.Equal("2026-12-01", cut.Find("input[data-test='report-date']").GetAttribute("value"));
        var zhang = cut.Find("[data-test='daily-row'][data-name='张三']").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["张三", "华东组", "2", "0", "1", "0", "0", "0", "1"], zhang);
        Assert.NotNull(cut.Find("[data-test='daily-row'][data-name='李四']"));
        Assert.Contains("北京星辰科技有限公司", cut.Find("[data-test='published-today']").TextContent);
        Assert.Contains("当日发布到公海（1）", cut.Markup);
        Assert.Contains("明日到期（0）", cut.Markup);
    }

    [Fact]
    public async Task Manager_DayBeforeDue_ListsDueTomorrow_OnlyTheirGroup()
    {
        var manager = await _ui.PersonAsync(Role.Manager, "王磊", "华东组");
        var cut = _ui.RenderAs<DailyReportPage>(manager);

        cut.Find("input[data-test='report-date']").Change("2026-12-15");

        cut.WaitForAssertion(() => Assert.Contains("上海云帆网络科技有限公司", cut.Find("[data-test='due-tomorrow']").TextContent));
        Assert.Contains("12月16日", cut.Find("[data-test='due-tomorrow']").TextContent);
        Assert.Empty(cut.FindAll("[data-test='daily-row'][data-name='李四']"));
        Assert.NotNull(cut.Find("[data-test='today']"));
    }

    [Fact]
    public async Task PreviousDay_NothingHappened_ZerosAndPrintable()
    {
        var director = await _ui.PersonAsync(Role.Director, "赵刚");
        var cut = _ui.RenderAs<DailyReportPage>(director);

        cut.Find("[data-test='previous-day']").Click();

        cut.WaitForAssertion(() => Assert.Contains("11月30日 的客户变动", cut.Markup));
        Assert.Empty(cut.FindAll("[data-test='published-row']"));
        cut.Find("[data-test='print']").Click();
        _ui.Bunit.JSInterop.VerifyInvoke("print");
    }

    [Fact]
    public void Salesperson_IsRefusedInWords()
    {
        var cut = _ui.RenderAs<DailyReportPage>(_zhang);

        Assert.Equal("你的角色不能这样做。", cut.Find("[data-test='report-error']").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-test='daily-table']"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
