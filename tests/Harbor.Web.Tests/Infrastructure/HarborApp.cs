using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Harbor.Web.Tests.Infrastructure;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Harbor through its real pipeline on a real, fresh database: a temporary SQLite folder, or a
/// new database on the PostgreSQL server named by HARBOR_TEST_POSTGRES.
/// </summary>
public sealed class HarborApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-pass-2026";
    public const string Password = "Passw0rd-2026";
    public const string PostgresVariable = "HARBOR_TEST_POSTGRES";

    /// <summary>Monday 1 December 2026, 09:00 in Shanghai: before the publication time.</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private readonly string? _dataDirectory;
    private readonly string? _postgresDatabase;
    private readonly Dictionary<string, string?> _settings;
    private int _counter;

    private readonly bool _kestrel;

    private HarborApp(Engine engine, string? dataDirectory, string? postgresDatabase, string? connectionString, IDictionary<string, string?>? settings, bool kestrel)
    {
        Engine = engine;
        _kestrel = kestrel;
        _dataDirectory = dataDirectory;
        _postgresDatabase = postgresDatabase;
        _settings = new Dictionary<string, string?>
        {
            ["Harbor:Bootstrap:AdminPassword"] = AdminPassword,
            ["Harbor:Database:Provider"] = engine == Engine.Sqlite ? "sqlite" : "postgres",
            ["Harbor:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:Harbor"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            // The test server cannot apply an endpoint's body limit and says so on every upload;
            // Harbor's own middleware checks the limit (Kestrel applies it in production).
            ["Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware"] = "Error",
            // Tests run the sweep when they mean to; a test about the background service turns it on.
            ["Harbor:Sweep:Enabled"] = "false",
            // Likewise the notification dispatcher: the delivery tests run it by hand on the test clock.
            ["Harbor:Notifications:Dispatcher:Enabled"] = "false",
            // Every test client shares one address; the rate-limit tests set their own limits.
            ["Harbor:RateLimits:SignInPerMinute"] = "100000",
            ["Harbor:RateLimits:ChecksPerMinute"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public Engine Engine { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>Where a browser reaches the app; only for an app started with <c>kestrel: true</c>.</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>A fresh app; a PostgreSQL test is skipped (and CI fails on skips) without a server.</summary>
    /// <param name="kestrel">Listen on a real loopback port (for a browser) instead of the in-memory test server.</param>
    public static async Task<HarborApp> StartAsync(Engine engine, IDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        HarborApp app;
        if (engine == Engine.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "harbor-tests", Guid.NewGuid().ToString("N"));
            app = new HarborApp(engine, dir, null, null, settings, kestrel);
        }
        else
        {
            var baseConnection = PostgresConnectionString;
            Assert.SkipWhen(baseConnection is null, $"PostgreSQL tests need {PostgresVariable} (a connection string).");
            var database = "harbor_test_" + Guid.NewGuid().ToString("N")[..12];
            await using (var admin = new NpgsqlConnection(baseConnection))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database} TEMPLATE template0 ENCODING 'UTF8'", admin);
                await create.ExecuteNonQueryAsync();
            }

            var connection = new NpgsqlConnectionStringBuilder(baseConnection) { Database = database, MaxPoolSize = 100 }.ToString();
            app = new HarborApp(engine, null, database, connection, settings, kestrel);
        }

        // Start the server (migrations, admin) before the first test request.
        if (kestrel)
        {
            app.UseKestrel(0);
            app.StartServer();
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            app.BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            app.ClientOptions.BaseAddress = app.BaseAddress;
        }
        else
        {
            _ = app.Server;
        }

        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            if (value is not null)
                builder.UseSetting(key, value);
        builder.UseEnvironment("Testing");
        // The web app's scripts and styles are served from the build's manifest, as in Development.
        builder.UseStaticWebAssets();
        if (_settings.GetValueOrDefault("Harbor:Clock:Adjustable") == "true")
            return; // the simulation clock under test runs on real time
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(_kestrel ? new MovingClock(Clock) : Clock);
        });
    }

    /// <summary>Runs the sweep now, as the background service would.</summary>
    public async Task<Jobs.SweepResult> SweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Jobs.Sweep>().RunAsync(CancellationToken.None);
    }

    /// <summary>Runs one pass of the notification dispatcher now, as the background service would.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct = default)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Features.Notifications.Delivery.Dispatcher>().RunOnceAsync(ct);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>
    /// Many salespeople at once, written straight to the database with a token each: hashing a
    /// password per person would make a 100-person race test take a minute.
    /// </summary>
    public Task<List<Person>> SalespeopleAsync(int count, Guid groupId) => SeedPeopleAsync(Domain.Access.Role.Salesperson, count, groupId);

    public async Task<List<Person>> SeedPeopleAsync(Domain.Access.Role role, int count, Guid? groupId)
    {
        var people = new List<(Data.User User, string Token)>();
        await InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<Data.HarborDbContext>();
            var now = Clock.GetUtcNow();
            for (var i = 0; i < count; i++)
            {
                var username = UniqueName("rush");
                var user = new Data.User
                {
                    Id = Guid.NewGuid(), Username = username, UsernameKey = username.ToLowerInvariant(), DisplayName = username,
                    Role = role, GroupId = groupId, PasswordHash = "not-used", CreatedAt = now,
                };
                var token = Features.Auth.BearerTokens.NewToken();
                db.Users.Add(user);
                db.ApiTokens.Add(new Data.ApiToken
                {
                    Id = Guid.NewGuid(), TokenHash = Features.Auth.BearerTokens.Hash(token), UserId = user.Id, CreatedAt = now, ExpiresAt = now.AddDays(400),
                });
                people.Add((user, token));
            }

            await db.SaveChangesAsync();
            return true;
        });
        return people.Select(p =>
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", p.Token);
            return new Person(p.User.Id, p.User.Username, p.User.DisplayName, groupId, client);
        }).ToList();
    }

    public string UniqueName(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}x{Guid.NewGuid().ToString("N")[..12]}";

    public async Task<HttpClient> SignInAsync(string username, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenBody>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    public Task<HttpClient> AdminAsync() => SignInAsync("admin", AdminPassword);

    public async Task<Guid> CreateGroupAsync(string? name = null)
    {
        using var admin = await AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/groups", new { name = name ?? UniqueName("组") });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdBody>())!.Id;
    }

    /// <summary>Creates a user and returns it signed in.</summary>
    public async Task<Person> CreatePersonAsync(string role, Guid? groupId, string? displayName = null)
    {
        using var admin = await AdminAsync();
        var username = UniqueName(role);
        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username,
            password = Password,
            displayName = displayName ?? username,
            role,
            groupId,
        });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<IdBody>())!.Id;
        return new Person(id, username, displayName ?? username, groupId, await SignInAsync(username, Password));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dataDirectory, recursive: true);
        }

        if (_postgresDatabase is not null && PostgresConnectionString is { } baseConnection)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(baseConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private sealed record TokenBody(string AccessToken);

    private sealed record IdBody(Guid Id);
}

/// <summary>
/// For an app a browser drives: the policy's "now" starts at the test clock and moves with real time,
/// and timers are real. MudBlazor takes TimeProvider from DI for its debounces and popovers; on a
/// frozen clock they would never fire. <see cref="HarborApp.Clock"/>.Advance still jumps days.
/// </summary>
internal sealed class MovingClock(FakeTimeProvider start) : TimeProvider
{
    private readonly long _origin = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start.GetUtcNow() + System.GetElapsedTime(_origin);

    public override TimeZoneInfo LocalTimeZone => start.LocalTimeZone;

    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() => System.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}

public sealed record Person(Guid Id, string Username, string DisplayName, Guid? GroupId, HttpClient Client);
