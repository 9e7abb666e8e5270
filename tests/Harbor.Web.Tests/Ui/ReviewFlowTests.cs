using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// Issue 6 in a real browser, at phone and at desk size: a registration that looks like a colleague's customer
/// waits; the clerk opens the review queue, sees it beside its candidate, and rejects it as a duplicate; the
/// salesperson is told.
/// </summary>
public sealed class ReviewFlowTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task Clerk_ReviewsAPendingRegistration_RejectsItAsADuplicate(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var zhang = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync("华东组"), "张三");
        var li = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync("华南组"), "李四");
        var clerk = await app.CreatePersonAsync("clerk", null, "王文员");
        var existing = await zhang.Client.RegisterOkAsync("杭州云帆科技有限公司");
        var pending = await (await li.Client.RegisterAsync("云帆网络科技有限公司")).AssertStatusAsync(HttpStatusCode.Accepted);
        var registrationId = pending.GetProperty("registrationId").GetGuid();

        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.SignInAsync(clerk.Username, HarborApp.Password);
        await page.GotoAsync("/reviews");
        await page.WaitForInteractiveAsync();
        var review = page.Locator("[data-test='review'][data-name='云帆网络科技有限公司']");
        await review.WaitForAsync();
        Assert.Contains("李四", await review.Locator("[data-test='review-registration']").InnerTextAsync());
        var candidate = review.Locator("[data-test='candidate'][data-name='杭州云帆科技有限公司']");
        Assert.Contains("相似度 1.00", await candidate.Locator("[data-test='score']").InnerTextAsync());
        Assert.Contains("张三（华东组）", await candidate.Locator("[data-test='holder']").InnerTextAsync());
        await page.ScreenshotAsync("reviews", screen);

        await candidate.Locator("[data-test='reject']").ClickAsync();
        await page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "已通知 李四" }).WaitForAsync();
        await page.Test("reviews-empty").WaitForAsync();

        var told = await (await li.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "registration-reviewed"
            && i.GetProperty("registrationId").GetGuid() == registrationId && i.GetProperty("duplicateOfId").GetGuid() == existing);
        var check = await (await li.Client.PostAsJsonAsync("/api/customers/check", new { name = "云帆网络科技有限公司" })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(check.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == registrationId);
    }
}
