using System.Net;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// A salesperson's day in a real browser, at phone and at desk size: sign in, register prospects,
/// meet a colleague's conflict under a variant of the name, give a customer up.
/// </summary>
public sealed class RegistrationFlowTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task Salesperson_RegistersMeetsConflictAndGivesUp(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var east = await app.CreateGroupAsync("华东组");
        var south = await app.CreateGroupAsync("华南组");
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        var li = await app.CreatePersonAsync("salesperson", south, "李四");

        // A signed-out visitor meets the sign-in page, in Chinese, whatever the browser's language.
        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login**");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("登录", (await page.Test("sign-in").InnerTextAsync()).Trim());
        await page.ScreenshotAsync("sign-in", screen);

        await page.SignInAsync(zhang.Username, HarborApp.Password);
        await page.WaitForPageAsync("**/my-customers");
        Assert.Equal("0/15", await page.Test("slot-figure").InnerTextAsync());

        await RegisterAsync(page, screen, "北京星辰科技有限公司", "13800138000");
        await RegisterAsync(page, screen, "上海云帆网络科技有限公司", "13900139002");
        Assert.Equal("2/15", await page.Test("slot-figure").InnerTextAsync());
        Assert.Equal(2, await page.Test("customer").CountAsync());

        // 李四 of the other group types the same company with its region in brackets.
        var colleague = await chromium.OpenAsync(app.BaseAddress!, screen);
        await colleague.SignInAsync(li.Username, HarborApp.Password);
        await colleague.GotoAsync("/register");
        await colleague.WaitForInteractiveAsync();
        await colleague.Field("name").FillAsync("星辰科技（北京）有限公司");
        var match = colleague.Test("conflict-match");
        await match.WaitForAsync();
        Assert.Contains("北京星辰科技有限公司", await match.InnerTextAsync());
        Assert.Contains("张三（华东组）", await colleague.Test("conflict-holder").InnerTextAsync());
        Assert.Contains("12月16日", await colleague.Test("conflict-due").InnerTextAsync());
        Assert.True(await colleague.Test("submit").IsDisabledAsync());
        await colleague.Field("phone").FillAsync("13700137000");
        await colleague.ScreenshotAsync("register-conflict", screen);

        // 张三 gives 北京星辰 up: the confirmation says when it reaches the public pool (10:00 today).
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        var card = page.Locator("[data-test='customer'][data-name='北京星辰科技有限公司']");
        await card.Locator("[data-test='release']").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.WaitForAsync();
        Assert.Contains("12月1日 10:00", await dialog.InnerTextAsync());
        await page.ScreenshotAsync("release-confirm", screen);
        await dialog.Locator("button").Filter(new LocatorFilterOptions { HasText = "确定放弃" }).ClickAsync();
        await page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "12月1日 10:00" }).WaitForAsync();
        await card.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.Equal("1/15", await page.Test("slot-figure").InnerTextAsync());

        // The registry agrees: waiting for publication, and nobody may take it before 10:00.
        var check = await (await li.Client.PostAsync("/api/customers/check",
            System.Net.Http.Json.JsonContent.Create(new { name = "北京星辰科技有限公司" }))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("pending-publication", check.GetProperty("matches")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task QuotaFull_SameFormGivesOneUp_RegistersTheNewOne()
    {
        Chromium.SkipUnlessInstalled();
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:Policy:SlotLimit"] = "2" }, kestrel: true);
        var zhang = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "张三");
        await zhang.Client.RegisterOkAsync("北京星辰科技有限公司");
        await zhang.Client.RegisterOkAsync("上海云帆网络科技有限公司");

        var page = await chromium.OpenAsync(app.BaseAddress!, Screen.Desk);
        await page.SignInAsync(zhang.Username, HarborApp.Password);
        Assert.Equal("2/2", await page.Test("slot-figure").InnerTextAsync());
        await page.GotoAsync("/register");
        await page.WaitForInteractiveAsync();
        Assert.Contains("保护名额已满（2/2）", await page.Test("quota-full").InnerTextAsync());
        await page.Field("name").FillAsync("杭州青禾贸易有限公司");
        await page.Test("no-conflict").WaitForAsync();
        await page.Test("release-customer").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "北京星辰科技有限公司" }).ClickAsync();
        await page.Locator(".mud-popover-open").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Assertions.Expect(page.Locator(".harbor-register-more .mud-select input").First).ToHaveValueAsync("北京星辰科技有限公司");
        Assert.Contains("放弃的客户将于 12月1日 10:00 发布到公海", await page.Locator(".harbor-register-more").InnerTextAsync());
        await page.ScreenshotAsync("register-quota-full", Screen.Desk);
        await page.Test("submit").ClickAsync();

        await page.WaitForPageAsync("**/my-customers");
        await page.Locator(".mud-snackbar").Filter(new() { HasText = "12月1日 10:00" }).WaitForAsync();
        await page.Locator("[data-test='customer'][data-name='杭州青禾贸易有限公司']").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-test='customer'][data-name='北京星辰科技有限公司']").CountAsync());
        Assert.Equal("2/2", await page.Test("slot-figure").InnerTextAsync());
    }

    private static async Task RegisterAsync(IPage page, Screen screen, string name, string phone)
    {
        if (screen.IsPhone)
            await page.Test("fab-register").ClickAsync();
        else
            await page.Locator("a[href='/register']").First.ClickAsync();
        await page.WaitForURLAsync("**/register");
        await page.Field("name").FillAsync(name);
        await page.Field("phone").FillAsync(phone);
        await page.Test("no-conflict").WaitForAsync();
        await page.Test("submit").ClickAsync();
        await page.WaitForPageAsync("**/my-customers");
        await page.Locator($"[data-test='customer'][data-name='{name}']").WaitForAsync();
    }
}
