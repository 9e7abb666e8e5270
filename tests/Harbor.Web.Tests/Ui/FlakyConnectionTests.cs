using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>A phone between two cell towers: what was typed survives a dropped connection and a reload.</summary>
public sealed class FlakyConnectionTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Register_ConnectionDropsThenReturns_ReconnectsAndKeepsTheForm()
    {
        Chromium.SkipUnlessInstalled();
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "张三");
        var page = await chromium.OpenAsync(app.BaseAddress!, Screen.Phone);
        await page.SignInAsync(sales.Username, HarborApp.Password);
        await page.GotoAsync("/register");
        await page.WaitForInteractiveAsync();
        await page.Field("name").FillAsync("深圳市海岳电子有限公司");
        await page.Field("contact-name").FillAsync("王强");
        await page.Test("no-conflict").WaitForAsync();

        // Offline stops new connections; the open one is cut the way Blazor's own tests cut it.
        await page.Context.SetOfflineAsync(true);
        await page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");
        var modal = page.Locator("#components-reconnect-modal");
        await modal.WaitForAsync();
        Assert.Contains("已填写的内容会保留", await modal.InnerTextAsync());
        await page.ScreenshotAsync("reconnecting", Screen.Phone);

        await page.Context.SetOfflineAsync(false);
        await modal.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 60_000 });
        Assert.Equal("深圳市海岳电子有限公司", await page.Field("name").InputValueAsync());
        Assert.Equal("王强", await page.Field("contact-name").InputValueAsync());
        await page.Test("submit").ClickAsync();
        await page.WaitForPageAsync("**/my-customers");
        await page.Locator("[data-test='customer'][data-name='深圳市海岳电子有限公司']").WaitForAsync();
    }

    [Fact]
    public async Task Register_PageReloaded_DraftComesBack()
    {
        Chromium.SkipUnlessInstalled();
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "张三");
        var page = await chromium.OpenAsync(app.BaseAddress!, Screen.Phone);
        await page.SignInAsync(sales.Username, HarborApp.Password);
        await page.GotoAsync("/register");
        await page.WaitForInteractiveAsync();
        await page.Field("name").FillAsync("广州南方物流股份有限公司");
        await page.Field("phone").FillAsync("020-66668888");
        await page.Field("notes").FillAsync("下周二约见");
        await page.Test("no-conflict").WaitForAsync();

        // The server forgot the page (a long disconnect, a restart): a new page starts from the tab's draft.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();

        await Assertions.Expect(page.Field("name")).ToHaveValueAsync("广州南方物流股份有限公司");
        await Assertions.Expect(page.Field("phone")).ToHaveValueAsync("020-66668888");
        await Assertions.Expect(page.Field("notes")).ToHaveValueAsync("下周二约见");
        await page.Test("no-conflict").WaitForAsync();
    }
}
