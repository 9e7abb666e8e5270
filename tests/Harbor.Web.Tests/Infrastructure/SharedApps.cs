using System.Collections.Concurrent;
using Harbor.Web.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(SharedApps))]

namespace Harbor.Web.Tests.Infrastructure;

/// <summary>
/// One running app per engine for the tests that do not move the clock; each test makes its own
/// people and customers, so they do not see each other.
/// </summary>
public sealed class SharedApps : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Engine, Lazy<Task<HarborApp>>> _apps = new();

    public Task<HarborApp> GetAsync(Engine engine)
    {
        if (engine == Engine.Postgres)
            Assert.SkipWhen(HarborApp.PostgresConnectionString is null, $"PostgreSQL tests need {HarborApp.PostgresVariable} (a connection string).");
        return _apps.GetOrAdd(engine, e => new Lazy<Task<HarborApp>>(() => HarborApp.StartAsync(e))).Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps.Values.Where(a => a.IsValueCreated))
            await (await app.Value).DisposeAsync();
    }
}

public static class Engines
{
    public static TheoryData<Engine> Both => [Engine.Sqlite, Engine.Postgres];
}
