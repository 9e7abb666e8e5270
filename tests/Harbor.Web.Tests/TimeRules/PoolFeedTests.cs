using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Features.Pool;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.TimeRules;

/// <summary>
/// The pool's change feed, through the real pipeline: what changes the pool (the 10:00
/// publication, a claim) signals it after the commit, so open pool pages re-read; a refused
/// claim changes nothing and signals nothing.
/// </summary>
public sealed class PoolFeedTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Publication_AndClaim_SignalTheFeed_ARefusalDoesNot(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(3, group);
        var customer = await people[0].Client.RegisterOkAsync(app.UniqueName("公海客户"));
        await (await people[0].Client.PostAsJsonAsync($"/api/customers/{customer}/release", new { reason = "no need" })).AssertStatusAsync(HttpStatusCode.OK);
        var feed = app.Services.GetRequiredService<PoolFeed>();
        var signals = new System.Collections.Concurrent.ConcurrentQueue<Guid?>();
        using var signalled = new SemaphoreSlim(0);
        using var subscription = feed.Subscribe(customerId =>
        {
            signals.Enqueue(customerId);
            signalled.Release();
            return Task.CompletedTask;
        });

        // Before 10:00 nothing is published: no signal.
        Assert.Equal(0, (await app.SweepAsync()).Published);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await app.SweepAsync()).Published);
        Assert.True(await signalled.WaitAsync(TimeSpan.FromSeconds(10)));

        await (await people[1].Client.PostAsJsonAsync($"/api/pool/{customer}/claim", new { })).AssertStatusAsync(HttpStatusCode.Created);
        Assert.True(await signalled.WaitAsync(TimeSpan.FromSeconds(10)));

        await (await people[2].Client.PostAsJsonAsync($"/api/pool/{customer}/claim", new { })).AssertProblemAsync(HttpStatusCode.Conflict, "already-claimed");
        Assert.False(await signalled.WaitAsync(TimeSpan.FromMilliseconds(300)));
        // The publication says "read again"; the claim names the customer that left the pool.
        Assert.Equal(new Guid?[] { null, customer }, signals.ToArray());
    }

    [Fact]
    public async Task Subscription_Disposed_NoLongerCalled()
    {
        var feed = new PoolFeed();
        var calls = 0;
        var subscription = feed.Subscribe(_ => Task.FromResult(Interlocked.Increment(ref calls)));
        var other = feed.Subscribe(_ => Task.CompletedTask);
        Assert.Equal(2, feed.Listeners);

        subscription.Dispose();
        feed.Changed();
        await Task.Delay(100);

        Assert.Equal(0, calls);
        Assert.Equal(1, feed.Listeners);
        other.Dispose();
        Assert.Equal(0, feed.Listeners);
    }
}
