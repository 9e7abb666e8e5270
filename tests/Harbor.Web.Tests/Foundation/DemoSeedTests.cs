using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

public sealed class DemoSeedTests
{
    [Fact]
    public async Task SeedDemo_FirstStart_DemoAccountsSignInAndSalespeopleHoldCustomers()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:SeedDemo"] = "true" });

        using var clerk = await app.SignInAsync("clerk", "Harbor-demo-2026");
        using var sales = await app.SignInAsync("sales1", "Harbor-demo-2026");
        var sheet = await (await sales.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.True(sheet.GetProperty("slotsUsed").GetInt32() >= 1);
        var groups = await clerk.GetFromJsonAsync<List<object>>("/api/groups");
        Assert.Equal(2, groups!.Count);
        using var director = await app.SignInAsync("director", "Harbor-demo-2026");
        await (await director.GetAsync("/api/users/me")).AssertStatusAsync(HttpStatusCode.OK);
    }
}
