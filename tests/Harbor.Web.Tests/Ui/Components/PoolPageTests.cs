using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Components.Shared;
using Harbor.Web.Data;
using Harbor.Web.Features.Pool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>The public pool page (rule 2): masked contacts, one-tap claim, refusals in words, live.</summary>
public sealed class PoolPageTests : IAsyncLifetime
{
    private const string Star = "北京星辰科技有限公司";

    private PageContext _ui = null!;
    private Viewer _zhang = default!;
    private Viewer _li = default!;
    private Guid _star;

    public async ValueTask InitializeAsync() => await SetUpAsync(new PageContext());

    private async Task SetUpAsync(PageContext ui)
    {
        _ui = ui;
        _zhang = await _ui.PersonAsync(Role.Salesperson, "张三", "华东组");
        _li = await _ui.PersonAsync(Role.Salesperson, "李四", "华南组");
        // Given up at 09:00, published at 10:00 (rule 2, voluntary release).
        _star = await _ui.PublishedAsync(_zhang, Star, "13800138000");
        _ui.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await _ui.SweepAsync()).Published);
    }

    [Fact]
    public void Pool_PublishedCustomer_ShownMasked_WithTheCountdownTicking()
    {
        var cut = _ui.RenderAs<PoolPage>(_li);

        var card = cut.Find("[data-test='pool-customer']");
        Assert.Equal(Star, card.GetAttribute("data-name"));
        Assert.Contains("138****8000", cut.Find("[data-test='masked-contact']").TextContent);
        Assert.DoesNotContain("13800138000", cut.Markup);
        Assert.DoesNotContain("王小明", cut.Markup);
        Assert.Contains("公海共 1 个客户", cut.Find("[data-test='pool-total']").TextContent);
        // 10:00 sharp: the next publication is tomorrow's.
        Assert.Contains("下次发布：12月2日 10:00", cut.Find("[data-test='countdown']").TextContent);
        Assert.Equal("24:00:00", cut.Find("[data-test='countdown-figure']").TextContent);

        _ui.Clock.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal("23:59:59", cut.Find("[data-test='countdown-figure']").TextContent));
    }

    [Fact]
    public void Claim_OneTap_TakesTheCustomerAndASlot()
    {
        var cut = _ui.RenderAs<PoolPage>(_li);

        cut.Find("[data-test='claim']").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-test='pool-customer']")));
        Assert.Equal("1/15", cut.Find("[data-test='slot-figure']").TextContent);
        Assert.Contains($"已领取 {Star}，保护期至 12月16日", _ui.Snackbars!.Markup);
    }

    [Fact]
    public async Task ClaimedBySomeoneElse_DisappearsWithoutAReload()
    {
        var wang = await _ui.PersonAsync(Role.Salesperson, "王五", "华南组");
        var cut = _ui.RenderAs<PoolPage>(_li);
        Assert.Single(cut.FindAll("[data-test='pool-customer']"));
        Assert.Equal(1, _ui.Bunit.Services.GetRequiredService<PoolFeed>().Listeners);

        var claimed = await _ui.RunAsync<ClaimFromPool, Result<ClaimResponse>>(c => c.HandleAsync(wang, _star, null, CancellationToken.None));

        Assert.True(claimed.Succeeded);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-test='pool-customer']")));
        Assert.NotNull(cut.Find("[data-test='pool-empty']"));
    }

    [Fact]
    public async Task SecondInstanceClaim_NoSignal_ShowsAlreadyClaimedInWords_ThenRereadsOnTheTimer()
    {
        var wang = await _ui.PersonAsync(Role.Salesperson, "王五", "华南组");
        var cut = _ui.RenderAs<PoolPage>(_li);
        // Another app instance: its claim signals its own feed, not this one.
        var claimed = await _ui.InScopeAsync(services => new ClaimFromPool(services.GetRequiredService<HarborDbContext>(), services.GetRequiredService<WriteGate>(),
            _ui.Clock, _ui.Policy, services.GetRequiredService<CompanyCalendar>(), new PoolFeed()).HandleAsync(wang, _star, null, CancellationToken.None));
        Assert.True(claimed.Succeeded);

        cut.Find("[data-test='claim']").Click();

        cut.WaitForAssertion(() => Assert.Contains($"{Star}: 已被他人领取", cut.Find("[data-test='pool-refusal']").TextContent));
        Assert.Empty(cut.FindAll("[data-test='pool-customer']"));
    }

    [Fact]
    public async Task OtherInstanceClaim_GoneAfterThePeriodicReread()
    {
        var wang = await _ui.PersonAsync(Role.Salesperson, "王五", "华南组");
        var cut = _ui.RenderAs<PoolPage>(_li);
        await _ui.InScopeAsync(services => new ClaimFromPool(services.GetRequiredService<HarborDbContext>(), services.GetRequiredService<WriteGate>(),
            _ui.Clock, _ui.Policy, services.GetRequiredService<CompanyCalendar>(), new PoolFeed()).HandleAsync(wang, _star, null, CancellationToken.None));
        _ui.Clock.Advance(PoolPage.Reread - TimeSpan.FromSeconds(2));
        Assert.Single(cut.FindAll("[data-test='pool-customer']"));

        _ui.Clock.Advance(TimeSpan.FromSeconds(2));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-test='pool-customer']")));
    }

    [Fact]
    public void OwnReleasedCustomer_CoolDown_RefusedWithItsDate()
    {
        var cut = _ui.RenderAs<PoolPage>(_zhang);

        cut.Find("[data-test='claim']").Click();

        cut.WaitForAssertion(() => Assert.Contains("12月31日 09:00 之前不能再领取", cut.Find("[data-test='pool-refusal']").TextContent));
        Assert.Single(cut.FindAll("[data-test='pool-customer']"));
    }

    [Fact]
    public async Task QuotaFull_ClaimGivesOneUpInTheSameStep()
    {
        await _ui.DisposeAsync();
        await SetUpAsync(new PageContext(new PolicySettings { SlotLimit = 1 }));
        await _ui.RegisterAsync(_li, "上海云帆网络科技有限公司");
        var cut = _ui.RenderAs<PoolPage>(_li);
        Assert.Contains("保护名额已满（1/1）", cut.Find("[data-test='pool-quota-full']").TextContent);

        cut.Find("[data-test='claim']").Click();
        Assert.True(cut.Find("[data-test='claim-with-release']").HasAttribute("disabled"));
        cut.Find("[data-test='give-up-choice'][data-name='上海云帆网络科技有限公司']").Click();
        cut.Find("[data-test='claim-with-release']").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-test='pool-customer']")));
        Assert.Contains("放弃的客户将于 12月2日 10:00 发布到公海", _ui.Snackbars!.Markup);
        Assert.Equal("1/1", cut.Find("[data-test='slot-figure']").TextContent);
    }

    [Fact]
    public void Pool_InEnglish_WhenAskedFor()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");

        var cut = _ui.RenderAs<PoolPage>(_li);

        Assert.Contains("Public pool", cut.Find("h1").TextContent);
        Assert.Equal("Claim", cut.Find("[data-test='claim']").TextContent.Trim());
        Assert.Contains("Customers in the pool: 1", cut.Find("[data-test='pool-total']").TextContent);
    }

    [Fact]
    public void Refusals_OfThePool_AreSaidInWords()
    {
        var l = _ui.Bunit.Services.GetRequiredService<IStringLocalizer<Strings>>();
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));

        Assert.Equal("已被他人领取", Refusals.Describe(l, new Refusal.AlreadyClaimed(_star)));
        Assert.Equal("尚未发布，将于 12月2日 10:00 发布到公海", Refusals.Describe(l, new Refusal.NotPublished(_star, at)));
        Assert.Contains("保护名额已满（15 个）", Refusals.Describe(l, new Refusal.QuotaFull(15)));
        Assert.Contains("12月2日 10:00 之前不能再领取", Refusals.Describe(l, new Refusal.CoolDown(_star, at)));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
