using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Approvals;
using Harbor.Web.Features.Cooperations;
using Harbor.Web.Features.Extensions;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>The approvals inbox (rules 6 and 8): what a decision needs, one tap, refusals in words.</summary>
public sealed class ApprovalsPageTests : IAsyncLifetime
{
    private const string Star = "北京星辰科技有限公司";

    private readonly PageContext _ui = new();
    private Viewer _zhang = default!;
    private Viewer _li = default!;
    private Viewer _manager = default!;
    private Viewer _director = default!;
    private Guid _star;

    public async ValueTask InitializeAsync()
    {
        _zhang = await _ui.PersonAsync(Role.Salesperson, "张三", "华东组");
        _li = await _ui.PersonAsync(Role.Salesperson, "李四", "华南组");
        _manager = await _ui.PersonAsync(Role.Manager, "王磊", "华东组");
        _director = await _ui.PersonAsync(Role.Director, "赵刚");
        _star = await _ui.RegisterAsync(_zhang, Star);
        _ui.Clock.Advance(TimeSpan.FromDays(2));
    }

    private async Task<Guid> RequestAsync(int days, string reason = "客户下周签约")
    {
        var created = await _ui.RunAsync<RequestExtension, Result<ExtensionCreated>>(r =>
            r.HandleAsync(_zhang, new ExtensionRequestBody(_star, days, reason), CancellationToken.None));
        Assert.True(created.Succeeded, created.Refusal?.Code);
        return created.Value.Id;
    }

    [Fact]
    public async Task Manager_ExtensionWithWhatTheDecisionNeeds_ApprovesInOneTap()
    {
        await RequestAsync(3);
        var cut = _ui.RenderAs<ApprovalsPage>(_manager);

        var item = cut.Find("[data-test='approval'][data-kind='extension']");
        Assert.Equal(Star, item.GetAttribute("data-name"));
        Assert.Contains("延期申请 · 3 天", item.TextContent);
        Assert.Contains("张三 · 华东组", item.TextContent);
        Assert.Contains("剩 13 天", item.TextContent);
        Assert.Contains("尚无跟进记录", item.TextContent);
        Assert.Equal("客户下周签约", item.QuerySelector("[data-test='approval-reason']")!.TextContent);
        Assert.Equal("该销售本月已申请 1 次", item.QuerySelector("[data-test='approval-this-month']")!.TextContent);

        cut.Find("input[data-test='approval-comment']").Change("同意");
        cut.Find("[data-test='approve']").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='approvals-empty']")));
        Assert.Contains($"已批准：{Star}", _ui.Snackbars!.Markup);
        var mine = await _ui.RunAsync<ListExtensions, Result<ExtensionList>>(l => l.HandleAsync(_zhang, null, CancellationToken.None));
        Assert.Equal("同意", Assert.Single(mine.Value!.Items).Comment);
    }

    [Fact]
    public async Task Manager_MoreThanFiveDays_SeesItNeedsADirector_DirectorDecides()
    {
        await RequestAsync(7);

        var manager = _ui.RenderAs<ApprovalsPage>(_manager);
        Assert.Contains("延期 7 天超过经理权限，需总监审批", manager.Find("[data-test='needs-director']").TextContent);
        Assert.Empty(manager.FindAll("[data-test='approve']"));

        var director = _ui.RenderAs<ApprovalsPage>(_director);
        director.Find("[data-test='reject']").Click();
        director.WaitForAssertion(() => Assert.Empty(director.FindAll("[data-test='approval']")));
        Assert.Contains($"已驳回：{Star}", _ui.Snackbars!.Markup);
    }

    [Fact]
    public async Task TwoApprovers_TheLoserIsToldInWords_AndTheItemLeaves()
    {
        await RequestAsync(3);
        var manager = _ui.RenderAs<ApprovalsPage>(_manager);
        var director = _ui.RenderAs<ApprovalsPage>(_director);

        manager.Find("[data-test='approve']").Click();
        manager.WaitForAssertion(() => Assert.Empty(manager.FindAll("[data-test='approval']")));
        director.Find("[data-test='reject']").Click();

        director.WaitForAssertion(() => Assert.Equal($"{Star}: 已由他人处理，无需再审批", director.Find("[data-test='approval-refusal']").TextContent.Trim()));
        Assert.Empty(director.FindAll("[data-test='approval']"));
    }

    [Fact]
    public async Task DecidedElsewhere_LeavesTheOpenInboxAtTheNextRefresh()
    {
        var id = await RequestAsync(3);
        var cut = _ui.RenderAs<ApprovalsPage>(_manager);
        Assert.Single(cut.FindAll("[data-test='approval']"));

        var decided = await _ui.RunAsync<DecideExtension, Result<ExtensionDecision>>(d =>
            d.HandleAsync(_director, id, true, null, CancellationToken.None));
        Assert.True(decided.Succeeded);
        _ui.Clock.Advance(ApprovalsPage.Refresh);

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='approvals-empty']")));
    }

    [Fact]
    public async Task RequestStillPendingAtTheDueTime_ShownAsTooLate()
    {
        await RequestAsync(3);
        // Registered 1 December: due 16 December at 10:00; the release goes ahead (rule 6).
        _ui.Clock.Advance(TimeSpan.FromDays(13) + TimeSpan.FromHours(1));
        await _ui.SweepAsync();

        var cut = _ui.RenderAs<ApprovalsPage>(_manager);

        Assert.Contains("申请来得太晚", cut.Find("[data-test='too-late']").TextContent);
        Assert.Empty(cut.FindAll("[data-test='approve']"));
        Assert.Contains("待你审批 0 项", cut.Find("[data-test='approvals-count']").TextContent);
    }

    [Fact]
    public async Task CooperationProposal_PartnerAndShare_RejectedWithAComment()
    {
        var proposed = await _ui.RunAsync<Cooperate, Result<CooperationState>>(c =>
            c.ProposeAsync(_zhang, new ProposeBody(_star, _li.Id, 30), CancellationToken.None));
        Assert.True(proposed.Succeeded, proposed.Refusal?.Code);
        var other = await _ui.PersonAsync(Role.Manager, "林芳", "华南组");

        Assert.Empty(_ui.RenderAs<ApprovalsPage>(other).FindAll("[data-test='approval']"));
        var cut = _ui.RenderAs<ApprovalsPage>(_manager);
        var item = cut.Find("[data-test='approval'][data-kind='cooperation']");
        Assert.Contains("合作登记 · 分成 30%", item.TextContent);
        Assert.Equal("李四，分成 30%（持有人保留 70%）", item.QuerySelector("[data-test='approval-partner']")!.TextContent);
        cut.Find("input[data-test='approval-comment']").Change("先自己跟进");
        cut.Find("[data-test='reject']").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-test='approval']")));
        var register = await _ui.RunAsync<CooperationRegister, Result<CooperationList>>(r => r.HandleAsync(_manager, CancellationToken.None));
        Assert.Equal("先自己跟进", Assert.Single(register.Value!.Items).Comment);
    }

    [Fact]
    public async Task Salesperson_InboxIsRefused()
    {
        var result = await _ui.RunAsync<ApprovalsInbox, Result<ApprovalInbox>>(i => i.HandleAsync(_zhang, CancellationToken.None));

        Assert.IsType<Refusal.Forbidden>(result.Refusal);
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
