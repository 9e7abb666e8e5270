using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Access;

public sealed class HardeningTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/api/users/me")]
    [InlineData("/openapi/v1.json")]
    public async Task EveryResponse_SecurityHeaders(string url)
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);

        var response = await app.CreateClient().GetAsync(url);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Single(response.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task SignIn_ScriptHammering_429AfterTheLimit()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:RateLimits:SignInPerMinute"] = "5" });
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "guess" + i })).StatusCode);

        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var limited = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "guess" });
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(limited.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task ConflictCheck_Enumerating_429ButAPersonTypingIsFine()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Harbor:RateLimits:ChecksPerMinute"] = "30" });
        var typist = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        var script = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];

        foreach (var prefix in new[] { "星", "星辰", "星辰科", "星辰科技" })
            await (await typist.Client.PostAsJsonAsync("/api/customers/check", new { name = prefix })).AssertStatusAsync(HttpStatusCode.OK);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
            statuses.Add((await script.Client.PostAsJsonAsync("/api/customers/check", new { name = $"公司{i}" })).StatusCode);

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        await (await typist.Client.PostAsJsonAsync("/api/customers/check", new { name = "星辰科技有限公司" })).AssertStatusAsync(HttpStatusCode.OK);
    }
}
