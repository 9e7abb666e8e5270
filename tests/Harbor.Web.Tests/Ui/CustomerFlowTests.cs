using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// Rules 7 and 9 in a real browser: a salesperson opens a customer from My customers, logs a
/// follow-up in two taps and submits an order; their manager reads the funnel and the performance.
/// </summary>
public sealed class CustomerFlowTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    private const string Customer = "北京星辰科技有限公司";

    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task Salesperson_FollowsUpInTwoTapsAndSubmitsAnOrder_ManagerSeesTheReports(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, kestrel: true);
        var east = await app.CreateGroupAsync("华东组");
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        var wang = await app.CreatePersonAsync("salesperson", east, "王五");
        var manager = await app.CreatePersonAsync("manager", east, "华东经理 王磊");
        await SeedSalesAsync(zhang, wang);

        var page = await chromium.OpenAsync(app.BaseAddress!, screen);
        await page.SignInAsync(zhang.Username, HarborApp.Password);
        await page.WaitForPageAsync("**/my-customers");
        await page.Locator($"[data-test='customer'][data-name='{Customer}'] [data-test='open-customer']").ClickAsync();
        await page.WaitForURLAsync("**/customers/**");
        await page.WaitForInteractiveAsync();
        // The address changes first, the page right after (navigation inside the live circuit).
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(Customer);
        await Assertions.Expect(page.Test("customer-stage")).ToHaveTextAsync("尚无跟进记录");

        // Two taps: the stage, then save.
        var clock = Stopwatch.StartNew();
        await page.Locator("[data-test='stage-chip'][data-stage='first-meeting']").ClickAsync();
        await page.Test("save-followup").ClickAsync();
        await Assertions.Expect(page.Test("customer-stage")).ToHaveTextAsync("约见面谈");
        output.WriteLine($"{screen.Name}: two taps to the stage shown in {clock.ElapsedMilliseconds} ms");
        await page.Locator("[data-test='timeline-item'][data-kind='followup']").Filter(new() { HasText = "约见面谈" }).WaitForAsync();
        await page.Locator(".mud-snackbar").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        await page.ScreenshotAsync("customer", screen);

        await page.Field("order-amount").FillAsync("128000");
        await page.Test("submit-order").ClickAsync();
        var result = page.Locator("[data-test='order-result'][data-credited='true']");
        await result.WaitForAsync();
        Assert.Contains("张三：¥128,000.00", await result.InnerTextAsync());
        await Assertions.Expect(page.Test("status-chip").First).ToHaveTextAsync("已签约");

        // The API agrees: one credited order, the customer signed.
        var id = Guid.Parse(new Uri(page.Url).Segments[^1]);
        var history = await (await zhang.Client.GetAsync($"/api/customers/{id}/history")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.True(Assert.Single(history.GetProperty("orders").EnumerateArray()).GetProperty("credited").GetBoolean());

        var boss = await chromium.OpenAsync(app.BaseAddress!, screen);
        await boss.SignInAsync(manager.Username, HarborApp.Password);
        await boss.GotoAsync("/reports/funnel");
        await boss.WaitForInteractiveAsync();
        await boss.Test("funnel-chart").WaitForAsync();
        Assert.Equal("3", (await boss.Test("funnel-started").InnerTextAsync()).Trim());
        // 南京金陵 signed with a follow-up; 张三's customer signed by the credited order just submitted.
        Assert.Equal("2", (await boss.Test("funnel-signed").InnerTextAsync()).Trim());
        await boss.ScreenshotAsync("funnel", screen);

        await boss.GotoAsync("/reports/performance");
        await boss.WaitForInteractiveAsync();
        await boss.Test("performance-chart-people").WaitForAsync();
        Assert.Contains("not-in-sheet", await boss.Test("uncredited-reason").First.InnerTextAsync());
        Assert.Equal("1", (await boss.Test("performance-uncredited").InnerTextAsync()).Trim());
        await boss.ScreenshotAsync("performance", screen);
    }

    /// <summary>A month's work in the east group: three customers at different stages, a signed one, an order that earns nothing.</summary>
    private static async Task SeedSalesAsync(Person zhang, Person wang)
    {
        var star = await zhang.Client.RegisterOkAsync(Customer, "13800138000");
        var cloud = await zhang.Client.RegisterOkAsync("上海云帆网络科技有限公司", "13900139002");
        var river = await wang.Client.RegisterOkAsync("南京金陵电子有限公司", "13700137001");
        foreach (var stage in new[] { "phone-call", "first-meeting", "phone-follow-up" })
            await FollowAsync(zhang.Client, cloud, stage);
        foreach (var stage in new[] { "phone-call", "first-meeting", "second-meeting", "objection-call", "closing-meeting" })
            await FollowAsync(wang.Client, river, stage);
        await OrderAsync(wang.Client, river, 56000m);
        await FollowAsync(wang.Client, river, "signed");
        // 王五 submits for 张三's customer: recorded, and no credit (rule 9).
        await OrderAsync(wang.Client, cloud, 8800m);
        await (await zhang.Client.PostAsJsonAsync("/api/extensions", new { customerId = star, days = 3, reason = "客户负责人出差，下周回来" }))
            .AssertStatusAsync(HttpStatusCode.Created);
        await (await zhang.Client.PostAsJsonAsync("/api/cooperations", new { customerId = star, partnerId = wang.Id, sharePercent = 30 }))
            .AssertStatusAsync(HttpStatusCode.Created);
    }

    private static async Task FollowAsync(HttpClient client, Guid customer, string stage) =>
        await (await client.PostAsJsonAsync($"/api/customers/{customer}/followups", new { stage, note = "电话沟通需求" })).AssertStatusAsync(HttpStatusCode.Created);

    private static async Task OrderAsync(HttpClient client, Guid customer, decimal amount) =>
        await (await client.PostAsJsonAsync("/api/orders", new { customerId = customer, amount })).AssertStatusAsync(HttpStatusCode.Created);
}
