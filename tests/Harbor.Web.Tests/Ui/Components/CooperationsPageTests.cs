using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Cooperations;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>The cooperation register (rule 8): who sees what, and ending a live cooperation.</summary>
public sealed class CooperationsPageTests : IAsyncLifetime
{
    private const string Star = "北京星辰科技有限公司";

    private readonly PageContext _ui = new();
    private Viewer _zhang = default!;
    private Viewer _li = default!;
    private Viewer _manager = default!;

    public async ValueTask InitializeAsync()
    {
        _zhang = await _ui.PersonAsync(Role.Salesperson, "张三", "华东组");
        _li = await _ui.PersonAsync(Role.Salesperson, "李四", "华南组");
        _manager = await _ui.PersonAsync(Role.Manager, "王磊", "华东组");
        var star = await _ui.RegisterAsync(_zhang, Star);
        var proposed = await _ui.RunAsync<Cooperate, Result<CooperationState>>(c => c.ProposeAsync(_zhang, new ProposeBody(star, _li.Id, 40), CancellationToken.None));
        _ui.Clock.Advance(TimeSpan.FromHours(2));
        var approved = await _ui.RunAsync<Cooperate, Result<CooperationState>>(c => c.DecideAsync(_manager, proposed.Value!.Id, true, "可以", CancellationToken.None));
        Assert.True(approved.Succeeded, approved.Refusal?.Code);
    }

    [Fact]
    public void Owner_SeesDatesSharesAndDecision_EndsIt()
    {
        var cut = _ui.RenderAs<CooperationsPage>(_zhang);

        var item = cut.Find("[data-test='cooperation']");
        Assert.Equal("approved", item.GetAttribute("data-status"));
        Assert.Contains("已批准", item.QuerySelector("[data-test='cooperation-status']")!.TextContent);
        Assert.Contains("张三 · 保留 60%", item.TextContent);
        Assert.Contains("李四 · 分成 40%", item.QuerySelector("[data-test='cooperation-partner']")!.TextContent);
        Assert.Contains("12月1日 11:00 · 王磊 · 可以", item.QuerySelector("[data-test='cooperation-decision']")!.TextContent);

        cut.Find("[data-test='end']").Click();
        cut.Find("[data-test='end-confirm']").Click();

        cut.WaitForAssertion(() => Assert.Equal("ended", cut.Find("[data-test='cooperation']").GetAttribute("data-status")));
        Assert.Empty(cut.FindAll("[data-test='end']"));
        Assert.Contains($"已结束 {Star} 与 李四 的合作", _ui.Snackbars!.Markup);
    }

    [Fact]
    public async Task Clerk_SeesEveryCooperation_CannotEndOne()
    {
        var clerk = await _ui.PersonAsync(Role.Clerk, "陈琳");

        var cut = _ui.RenderAs<CooperationsPage>(clerk);

        Assert.Single(cut.FindAll("[data-test='cooperation']"));
        Assert.Empty(cut.FindAll("[data-test='end']"));
    }

    [Fact]
    public async Task ManagerOfAnotherGroup_SeesNone_PartnerSeesTheirsWithoutEnding()
    {
        var other = await _ui.PersonAsync(Role.Manager, "林芳", "华南组");

        Assert.NotNull(_ui.RenderAs<CooperationsPage>(other).Find("[data-test='cooperations-empty']"));
        var partner = _ui.RenderAs<CooperationsPage>(_li);
        Assert.Single(partner.FindAll("[data-test='cooperation']"));
        Assert.Empty(partner.FindAll("[data-test='end']"));
    }

    [Fact]
    public void Manager_EndsFromTheRegister_LiveFilterEmpties()
    {
        var cut = _ui.RenderAs<CooperationsPage>(_manager);
        cut.Find("[data-test='end']").Click();
        cut.Find("[data-test='end-confirm']").Click();
        cut.WaitForAssertion(() => Assert.Equal("ended", cut.Find("[data-test='cooperation']").GetAttribute("data-status")));

        cut.FindAll("[data-test='cooperation-filter'] .mud-chip")[1].Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='cooperations-empty']")));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
