using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Features.Auth;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Access;

/// <summary>
/// The bearer tokens kept in memory (ADR-004, the bound): a change to an account on this instance
/// is seen by the next request, whatever was kept; an answer read before the change is not kept.
/// </summary>
public sealed class BearerTokenCacheTests(SharedApps apps)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    private static TokenAccount Account(DateTimeOffset expiresAt) => new(Guid.NewGuid(), "zhang", Role.Salesperson, Guid.NewGuid(), expiresAt);

    [Fact]
    public void Find_KeptToken_UntilItExpiresOnTheSessionClock()
    {
        var cache = new BearerTokenCache();
        var account = Account(Now.AddHours(1));
        cache.Keep("hash", account, cache.Generation);

        Assert.Same(account, cache.Find("hash", Now));
        Assert.Null(cache.Find("hash", Now.AddHours(1)));
        Assert.Null(cache.Find("other", Now));
    }

    [Fact]
    public void Keep_ReadBeforeForget_NotKept()
    {
        var cache = new BearerTokenCache();
        var before = cache.Generation;
        cache.Forget();

        cache.Keep("hash", Account(Now.AddHours(1)), before);

        Assert.Null(cache.Find("hash", Now));
    }

    [Fact]
    public void Forget_DropsEveryKeptToken()
    {
        var cache = new BearerTokenCache();
        cache.Keep("a", Account(Now.AddHours(1)), cache.Generation);
        cache.Keep("b", Account(Now.AddHours(1)), cache.Generation);

        cache.Forget();

        Assert.Null(cache.Find("a", Now));
        Assert.Null(cache.Find("b", Now));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RoleChanged_KeptToken_NextRequestHasTheNewRole(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var person = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();
        // Read once, so that the token is kept; the route's gate reads the role from the token.
        await (await person.Client.GetAsync("/api/registry")).AssertStatusAsync(HttpStatusCode.OK);

        await (await admin.PutAsJsonAsync($"/api/users/{person.Id}", new { displayName = "前文员", role = "admin" })).AssertStatusAsync(HttpStatusCode.OK);

        await (await person.Client.GetAsync("/api/registry")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
