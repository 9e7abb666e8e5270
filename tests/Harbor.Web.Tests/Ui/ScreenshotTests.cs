using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Harbor.Web.Features.Demo;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// Every main page on the demo data, at phone and at desk size, saved under docs/screenshots:
/// the first thing a new user sees. Each page is also checked to show what it is for.
/// </summary>
public sealed class ScreenshotTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task MainPages_DemoData_RenderAndAreSaved(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:SeedDemo"] = "true" }, kestrel: true);
        await SpreadDueDatesAsync(app);

        // 张三 on 15 December: due tomorrow (red), in three days (amber), later (green).
        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.SignInAsync("sales1", SeedDemo.Password);
        await page.WaitForPageAsync("**/my-customers");
        Assert.Equal("6/15", await page.Test("slot-figure").InnerTextAsync());
        var tones = await page.Test("due-chip").EvaluateAllAsync<string[]>("chips => chips.map(c => c.dataset.tone)");
        Assert.Contains("urgent", tones);
        Assert.Contains("soon", tones);
        Assert.Contains("calm", tones);
        await page.ScreenshotAsync("my-customers", screen);

        await page.GotoAsync("/register");
        await page.WaitForInteractiveAsync();
        await page.Field("name").FillAsync("杭州西湖茶业有限公司");
        await page.Field("phone").FillAsync("0571-88886666");
        await page.Test("no-conflict").WaitForAsync();
        await page.ScreenshotAsync("register", screen);

        await page.GotoAsync("/policy");
        await page.WaitForInteractiveAsync();
        Assert.Contains("每人 15 个", await page.Test("policy-table").InnerTextAsync());
        await page.ScreenshotAsync("policy", screen);

        // The clerk's master registry: everyone's customers, searchable.
        var clerk = await chromium.OpenAsync(app.BaseAddress!, screen);
        await clerk.SignInAsync("clerk", SeedDemo.Password);
        await clerk.WaitForURLAsync("**/registry");
        await clerk.Test("registry-row").First.WaitForAsync();
        Assert.Contains("共 17 个客户", await clerk.Test("registry-total").InnerTextAsync());
        await clerk.ScreenshotAsync("registry", screen);
        await clerk.Field("registry-search").FillAsync("星辰");
        await clerk.Test("registry-total").Filter(new() { HasText = "共 1 个客户" }).WaitForAsync();

        // The administrator's accounts and groups.
        var admin = await chromium.OpenAsync(app.BaseAddress!, screen);
        await admin.SignInAsync("admin", HarborApp.AdminPassword);
        await admin.WaitForURLAsync("**/admin/users");
        await admin.Test("users-table").Filter(new() { HasText = "华东经理 王磊" }).WaitForAsync();
        // A leaver: switched off from the list, after a confirmation.
        await admin.Locator("tr").Filter(new() { HasText = "sales6" }).Locator("[data-test='deactivate-user']").ClickAsync();
        await admin.Locator(".mud-dialog button").Filter(new() { HasText = "停用" }).ClickAsync();
        await admin.Locator("tr").Filter(new() { HasText = "sales6" }).Locator("[data-test='inactive']").WaitForAsync();
        await admin.Locator(".mud-snackbar").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached, Timeout = 30_000 });
        await admin.ScreenshotAsync("users", screen);
        await admin.GotoAsync("/admin/groups");
        await admin.WaitForInteractiveAsync();
        Assert.Equal(2, await admin.Test("group").CountAsync());
        await admin.ScreenshotAsync("groups", screen);

        // English, when asked for, and remembered.
        await page.GotoAsync("/my-customers");
        await page.WaitForInteractiveAsync();
        if (screen.IsPhone)
        {
            // The drawer starts open until MudBlazor has read the screen's width and closed it; a tap before
            // that toggles the not-yet-closed drawer shut. So: wait for it to be closed, tap, wait for it to be
            // open, and only then for the switch to be on screen (it slides in from the side).
            var drawer = page.Locator(".mud-drawer");
            await Assertions.Expect(drawer).ToHaveClassAsync(new Regex(@"\bmud-drawer--closed\b"), new() { Timeout = 15_000 });
            await page.Locator("header button").First.ClickAsync();
            await Assertions.Expect(drawer).ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"), new() { Timeout = 15_000 });
            await Assertions.Expect(page.Test("language")).ToBeInViewportAsync(new() { Timeout = 15_000 });
        }
        await page.Test("language").ClickAsync();
        await page.WaitForPageAsync("**/my-customers");
        await page.WaitForInteractiveAsync();
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("My customers", (await page.Locator("h1").InnerTextAsync()).Trim());
        await page.ScreenshotAsync("my-customers-en", screen);
    }

    /// <summary>Registrations on different days, so that 15 December shows every colour, and one given up.</summary>
    private static async Task SpreadDueDatesAsync(HarborApp app)
    {
        app.Clock.Advance(TimeSpan.FromDays(2));
        await RegisterAsync(app, "南通江海纺织有限公司", "13900001111");
        app.Clock.Advance(TimeSpan.FromDays(6));
        await RegisterAsync(app, "宁波港城五金有限公司", "13900002222");
        await RegisterAsync(app, "合肥科大讯达电子有限公司", "13900003333");
        app.Clock.Advance(TimeSpan.FromDays(6));
        await RegisterAsync(app, "厦门鹭岛海产有限公司", "13900004444");
        var given = await RegisterAsync(app, "福州闽江茶业有限公司", "13900005555");
        using var sales1 = await app.SignInAsync("sales1", SeedDemo.Password);
        await (await sales1.PostAsJsonAsync($"/api/customers/{given}/release", new { reason = "客户暂无需求" }))
            .AssertStatusAsync(HttpStatusCode.OK);
    }

    // A token lives 12 hours of the app's clock: sign in again on each day.
    private static async Task<Guid> RegisterAsync(HarborApp app, string name, string phone)
    {
        using var sales1 = await app.SignInAsync("sales1", SeedDemo.Password);
        return await sales1.RegisterOkAsync(name, phone);
    }
}
