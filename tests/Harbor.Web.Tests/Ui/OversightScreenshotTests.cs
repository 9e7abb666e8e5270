using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Features.Demo;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// The pages of time and oversight on the demo data, at phone and at desk size, saved under
/// docs/screenshots like <see cref="ScreenshotTests"/>: the public pool, the bell, the daily
/// report, the approvals inbox and the cooperation register.
/// </summary>
public sealed class OversightScreenshotTests(Chromium chromium) : IClassFixture<Chromium>
{
    [Theory, MemberData(nameof(Screen.Both), MemberType = typeof(Screen))]
    public async Task PoolReportApprovalsCooperations_DemoData_RenderAndAreSaved(string screenName)
    {
        Chromium.SkipUnlessInstalled();
        var screen = Screen.Named(screenName);
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:SeedDemo"] = "true" }, kestrel: true);
        await ADayOfWorkAsync(app);

        // 李四 (sales2): the pool after 10:00, and the bell with the publication in it.
        var sales = await chromium.OpenAsync(app.BaseAddress!, screen);
        await sales.SignInAsync("sales2", SeedDemo.Password);
        await sales.GotoAsync("/pool");
        await sales.WaitForInteractiveAsync();
        await sales.Test("pool-customer").First.WaitForAsync();
        Assert.Equal(2, await sales.Test("pool-customer").CountAsync());
        await sales.ScreenshotAsync("pool", screen);
        await sales.Test("bell").ClickAsync();
        await sales.Test("bell-item").First.WaitForAsync();
        Assert.Contains("发布到公海", await sales.Test("bell-panel").InnerTextAsync());
        await sales.ScreenshotAsync("notifications-bell", screen);

        // 华东经理 王磊: the approvals inbox with an extension and a cooperation.
        var manager = await chromium.OpenAsync(app.BaseAddress!, screen);
        await manager.SignInAsync("manager.east", SeedDemo.Password);
        await manager.GotoAsync("/approvals");
        await manager.WaitForInteractiveAsync();
        await manager.Test("approval").First.WaitForAsync();
        Assert.Equal(2, await manager.Test("approval").CountAsync());
        await manager.ScreenshotAsync("approvals", screen);
        await manager.GotoAsync("/cooperations");
        await manager.WaitForInteractiveAsync();
        await manager.Test("cooperation").First.WaitForAsync();
        await manager.ScreenshotAsync("cooperations", screen);

        // The clerk's daily change report.
        var clerk = await chromium.OpenAsync(app.BaseAddress!, screen);
        await clerk.SignInAsync("clerk", SeedDemo.Password);
        await clerk.GotoAsync("/reports/daily");
        await clerk.WaitForInteractiveAsync();
        await clerk.Test("daily-row").First.WaitForAsync();
        Assert.Equal(2, await clerk.Test("published-row").CountAsync());
        await clerk.ScreenshotAsync("daily-report", screen);
    }

    /// <summary>
    /// 张三 and 赵六 each give a customer up before 10:00 (published at 10:00), 张三 asks for an
    /// extension on the other, and 王五 proposes a cooperation with 李四.
    /// </summary>
    private static async Task ADayOfWorkAsync(HarborApp app)
    {
        using var zhang = await app.SignInAsync("sales1", SeedDemo.Password);
        var held = await HeldAsync(zhang);
        await (await zhang.PostAsJsonAsync($"/api/customers/{held[0]}/release", new { reason = "客户暂无需求" })).AssertStatusAsync(HttpStatusCode.OK);
        await (await zhang.PostAsJsonAsync("/api/extensions", new { customerId = held[1], days = 3, reason = "客户下周签约，需要几天准备合同" }))
            .AssertStatusAsync(HttpStatusCode.Created);
        using var zhao = await app.SignInAsync("sales4", SeedDemo.Password);
        await (await zhao.PostAsJsonAsync($"/api/customers/{(await HeldAsync(zhao))[0]}/release", new { reason = "预算取消" })).AssertStatusAsync(HttpStatusCode.OK);

        using var wang = await app.SignInAsync("sales3", SeedDemo.Password);
        var li = await app.InScopeAsync(services => Task.FromResult(services.GetRequiredService<Data.HarborDbContext>().Users.First(u => u.Username == "sales2").Id));
        await (await wang.PostAsJsonAsync("/api/cooperations", new
        {
            customerId = (await HeldAsync(wang))[0],
            partnerId = li,
            sharePercent = 30,
        })).AssertStatusAsync(HttpStatusCode.Created);
        // One already decided, for the register: 张三 and 孙七 (another group), approved by the manager.
        var sun = await app.InScopeAsync(services => Task.FromResult(services.GetRequiredService<Data.HarborDbContext>().Users.First(u => u.Username == "sales5").Id));
        var agreed = await (await zhang.PostAsJsonAsync("/api/cooperations", new { customerId = held[1], partnerId = sun, sharePercent = 20 }))
            .AssertStatusAsync(HttpStatusCode.Created);
        using var manager = await app.SignInAsync("manager.east", SeedDemo.Password);
        await (await manager.PostAsJsonAsync($"/api/cooperations/{agreed.GetProperty("id").GetGuid()}/approve", new { comment = "同意，华南有渠道" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, (await app.SweepAsync()).Published);
    }

    private static async Task<List<Guid>> HeldAsync(HttpClient salesperson)
    {
        var sheet = await (await salesperson.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        return [.. sheet.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid())];
    }
}
