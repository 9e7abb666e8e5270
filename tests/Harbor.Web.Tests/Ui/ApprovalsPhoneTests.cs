using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>A manager approves an extension from the approvals inbox on a phone (rule 6).</summary>
public sealed class ApprovalsPhoneTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Manager_OnAPhone_ApprovesAnExtension_TheSalespersonIsTold()
    {
        Chromium.SkipUnlessInstalled();
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var east = await app.CreateGroupAsync("华东组");
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        var manager = await app.CreatePersonAsync("manager", east, "王磊");
        var star = await zhang.Client.RegisterOkAsync("北京星辰科技有限公司", "13800138000");
        await (await zhang.Client.PostAsJsonAsync("/api/extensions", new { customerId = star, days = 3, reason = "客户下周签约" }))
            .AssertStatusAsync(HttpStatusCode.Created);

        var page = await chromium.OpenAsync(app.BaseAddress!, Screen.Phone);
        await page.SignInAsync(manager.Username, HarborApp.Password);
        // The request reached the manager's bell, and the bottom navigation leads to the inbox.
        await Assertions.Expect(page.Test("bell")).ToHaveAttributeAsync("aria-label", "通知（1 条未读）");
        await page.Locator(".harbor-bottom-nav a[href='/approvals']").ClickAsync();
        await page.WaitForURLAsync("**/approvals");
        var item = page.Locator("[data-test='approval'][data-name='北京星辰科技有限公司']");
        await item.WaitForAsync();
        Assert.Contains("客户下周签约", await item.InnerTextAsync());
        Assert.Contains("该销售本月已申请 1 次", await item.InnerTextAsync());

        await item.Locator("input[data-test='approval-comment']").FillAsync("同意，尽快签约");
        var approve = item.Locator("[data-test='approve']");
        var box = await approve.BoundingBoxAsync();
        Assert.True(box is { Height: >= 44 }, "the approve button is big enough for a thumb");
        await approve.TapAsync();

        await page.Locator(".mud-snackbar").Filter(new() { HasText = "已批准：北京星辰科技有限公司" }).WaitForAsync();
        await page.Test("approvals-empty").WaitForAsync();
        var mine = await (await zhang.Client.GetAsync("/api/extensions")).AssertStatusAsync(HttpStatusCode.OK);
        var decided = mine.GetProperty("items")[0];
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.Equal("同意，尽快签约", decided.GetProperty("comment").GetString());
        Assert.Equal("2026-12-19", decided.GetProperty("dueOn").GetString());
    }
}
