using Harbor.Web.Tests.Infrastructure;
using Harbor.Web.Tests.Notifications;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// Issue 10 in a real browser: the admin gives a group its bot and tests it; a salesperson turns
/// an email off.
/// </summary>
public sealed class NotificationFlowTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task Admin_SetsAndTestsABot_Salesperson_MutesAnEmail(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?>
        {
            ["Harbor:Notifications:AllowPrivateTargets"] = "true",
            ["Harbor:PublicUrl"] = NotifyTestKit.PublicUrl,
        }, kestrel: true);
        await using var bots = await FakeBots.StartAsync(app.Clock);
        var east = await app.CreateGroupAsync("华东组");
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        await app.SetEmailAsync(zhang.Id, "zhang@harbor.test");

        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.SignInAsync("admin", HarborApp.AdminPassword);
        await page.GotoAsync("/admin/notifications");
        await page.WaitForInteractiveAsync();
        await page.Test("smtp-missing").WaitForAsync();
        await page.Test("set-bot").First.ClickAsync();
        await page.Field("bot-url").FillAsync(bots.Url("wecom?key=browser-key"));
        await page.Test("save-bot").ClickAsync();
        var hint = page.Test("bot-hint");
        await hint.WaitForAsync();
        Assert.Contains("企业微信", await hint.InnerTextAsync());
        Assert.DoesNotContain("browser-key", await page.ContentAsync());
        await page.Test("test-bot").ClickAsync();
        await page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "测试消息已发送" }).WaitForAsync();
        Assert.Single(bots.To("wecom"));
        await page.ScreenshotAsync("notifications-admin", screen);

        var sales = await chromium.OpenAsync(app.BaseAddress!, screen);
        await sales.SignInAsync(zhang.Username, HarborApp.Password);
        await sales.GotoAsync("/settings/notifications");
        await sales.WaitForInteractiveAsync();
        Assert.Equal("zhang@harbor.test", (await sales.Test("settings-email").InnerTextAsync()).Trim());
        await sales.Locator("input[data-test='kind-due-tomorrow']").ClickAsync();
        await sales.Test("save-settings").ClickAsync();
        await sales.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "已保存" }).WaitForAsync();
        await sales.ScreenshotAsync("notification-settings", screen);
        var saved = await zhang.Client.GetStringAsync("/api/me/notification-settings");
        Assert.Contains("due-tomorrow", saved);
    }
}
