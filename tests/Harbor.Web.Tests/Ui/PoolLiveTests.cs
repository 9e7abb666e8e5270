using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// The public pool, live, in two real browsers: 10:00 publishes into both open pages, one
/// salesperson claims, and the customer disappears from the other's page without a reload.
/// </summary>
public sealed class PoolLiveTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task TwoSalespeople_OneClaims_GoneFromTheOthersPageWithoutReload()
    {
        Chromium.SkipUnlessInstalled();
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var east = await app.CreateGroupAsync("华东组");
        var south = await app.CreateGroupAsync("华南组");
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        var li = await app.CreatePersonAsync("salesperson", south, "李四");
        var wang = await app.CreatePersonAsync("salesperson", south, "王五");
        // 张三 gives a customer up at 09:00: it reaches the pool at 10:00 (rule 2).
        var star = await zhang.Client.RegisterOkAsync("北京星辰科技有限公司", "13800138000");
        await (await zhang.Client.PostAsJsonAsync($"/api/customers/{star}/release", new { reason = "客户暂无需求" })).AssertStatusAsync(HttpStatusCode.OK);

        var desk = await OpenPoolAsync(app, li, Screen.Desk);
        var phone = await OpenPoolAsync(app, wang, Screen.Phone);
        await desk.Test("pool-empty").WaitForAsync();
        await phone.Test("pool-empty").WaitForAsync();
        Assert.Contains("下次发布：12月1日 10:00", await phone.Test("countdown").InnerTextAsync());

        // 10:00: the sweep publishes and both open pages show the customer, no reload.
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await app.SweepAsync()).Published);
        var onDesk = desk.Locator("[data-test='pool-customer'][data-name='北京星辰科技有限公司']");
        var onPhone = phone.Locator("[data-test='pool-customer'][data-name='北京星辰科技有限公司']");
        await onDesk.WaitForAsync();
        await onPhone.WaitForAsync();
        Assert.Contains("138****8000", await onPhone.InnerTextAsync());
        Assert.Contains("下次发布：12月2日 10:00", await phone.Test("countdown").InnerTextAsync());

        await onDesk.Locator("[data-test='claim']").ClickAsync();
        await desk.Locator(".mud-snackbar").Filter(new() { HasText = "已领取 北京星辰科技有限公司" }).WaitForAsync();

        await onPhone.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.True(await phone.EvaluateAsync<bool>("() => window.harborNotReloaded === true"));
        await phone.Test("pool-empty").WaitForAsync();
    }

    private async Task<IPage> OpenPoolAsync(HarborApp app, Person person, Screen screen)
    {
        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.SignInAsync(person.Username, HarborApp.Password);
        await page.GotoAsync("/pool");
        await page.WaitForInteractiveAsync();
        // Gone after a reload or a navigation: proves the page changed in place.
        await page.EvaluateAsync("() => { window.harborNotReloaded = true; }");
        return page;
    }
}
