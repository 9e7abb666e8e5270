using Bunit;
using Harbor.Web.Components.Shared;
using Harbor.Web.Features.Customers;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>Rule 3 as they type: the registry is asked only after a pause, and says who holds what.</summary>
public sealed class LiveConflictCheckTests : IAsyncLifetime
{
    private readonly ComponentContext _ui = new();

    public async ValueTask InitializeAsync()
    {
        var zhang = await _ui.SalespersonAsync("张三", "华东组");
        await _ui.RegisterAsync(zhang, "北京星辰科技有限公司", "13800138000");
    }

    [Fact]
    public void Typing_BeforeThePause_AsksNothing()
    {
        var cut = _ui.Render<LiveConflictCheck>(p => p.Add(c => c.Name, "星辰科技（北京）有限公司"));

        _ui.Clock.Advance(LiveConflictCheck.Debounce - TimeSpan.FromMilliseconds(1));

        Assert.Empty(cut.FindAll("[data-test='conflict-match']"));
        Assert.Empty(cut.FindAll("[data-test='checking']"));
        Assert.NotNull(cut.Find("[data-test='check-idle']"));
    }

    [Fact]
    public void AfterThePause_VariantName_ShowsStatusHolderAndDueDate()
    {
        CheckResponse? told = null;
        var cut = _ui.Render<LiveConflictCheck>(p => p
            .Add(c => c.Name, "星辰科技（北京）有限公司")
            .Add(c => c.OnChecked, (CheckResponse? r) => told = r));

        _ui.Clock.Advance(LiveConflictCheck.Debounce);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test='conflict-match']")));
        var match = cut.Find("[data-test='conflict-match']");
        Assert.Contains("北京星辰科技有限公司", match.TextContent);
        Assert.Contains("保护中", cut.Find("[data-test='status-chip']").TextContent);
        Assert.Contains("持有人：张三（华东组）", cut.Find("[data-test='conflict-holder']").TextContent);
        Assert.Contains("保护期至 12月16日", cut.Find("[data-test='conflict-due']").TextContent);
        Assert.Contains("公司名称相同", match.TextContent);
        Assert.Equal(1, told?.Matches.Count);
    }

    [Fact]
    public void TypingOn_RestartsThePause_OnlyTheLastTextIsChecked()
    {
        var cut = _ui.Render<LiveConflictCheck>(p => p.Add(c => c.Name, "北京星辰"));
        _ui.Clock.Advance(LiveConflictCheck.Debounce / 2);

        cut.Render(p => p.Add(c => c.Name, "北京星辰科技有限公司"));
        _ui.Clock.Advance(LiveConflictCheck.Debounce / 2);
        Assert.Empty(cut.FindAll("[data-test='no-conflict']"));
        Assert.Empty(cut.FindAll("[data-test='conflict-match']"));

        _ui.Clock.Advance(LiveConflictCheck.Debounce / 2);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test='conflict-match']")));
        Assert.Empty(cut.FindAll("[data-test='no-conflict']"));
    }

    [Fact]
    public void SamePhone_OtherName_MatchesByPhone()
    {
        var cut = _ui.Render<LiveConflictCheck>(p => p.Add(c => c.Name, "完全不同的公司").Add(c => c.Phone, "+86 138 0013 8000"));

        _ui.Clock.Advance(LiveConflictCheck.Debounce);

        cut.WaitForAssertion(() => Assert.Contains("电话相同", cut.Find("[data-test='conflict-match']").TextContent));
    }

    [Fact]
    public void NewCompany_AfterThePause_SaysNoConflict()
    {
        var cut = _ui.Render<LiveConflictCheck>(p => p.Add(c => c.Name, "上海云帆网络科技有限公司"));

        _ui.Clock.Advance(LiveConflictCheck.Debounce);

        cut.WaitForAssertion(() => Assert.Contains("没有冲突", cut.Find("[data-test='no-conflict']").TextContent));
    }

    [Fact]
    public void ClearedField_GoesBackToIdle()
    {
        var cut = _ui.Render<LiveConflictCheck>(p => p.Add(c => c.Name, "上海云帆网络科技有限公司"));
        _ui.Clock.Advance(LiveConflictCheck.Debounce);
        cut.WaitForAssertion(() => cut.Find("[data-test='no-conflict']"));

        cut.Render(p => p.Add(c => c.Name, "  "));

        Assert.NotNull(cut.Find("[data-test='check-idle']"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
