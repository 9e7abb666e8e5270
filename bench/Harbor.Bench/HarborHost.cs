using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Harbor.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Bench;

/// <summary>
/// Harbor in this process, as production runs it (Production environment, the real pipeline),
/// on a real Kestrel port on 127.0.0.1 or on the in-memory TestServer; the clock is a
/// FakeTimeProvider the bench moves, and the background sweep is off (the bench runs it).
/// </summary>
public sealed class HarborHost : WebApplicationFactory<Program>
{
    /// <summary>Tuesday 1 December 2026, 09:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>10:00 on the due day of a protection that started on 1 December.</summary>
    public static readonly DateTimeOffset DueDayAtTen = new(2026, 12, 16, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly Dictionary<string, string?> _settings;

    private HarborHost(BenchDatabase database, IDictionary<string, string?>? settings, DateTimeOffset now)
    {
        Clock = new FakeTimeProvider(now);
        _settings = database.HarborSettings();
        _settings["Harbor:Bootstrap:AdminPassword"] = "Bench-admin-2026";
        _settings["Harbor:Sweep:Enabled"] = "false";
        _settings["Logging:LogLevel:Default"] = "Warning";
        // For profiling: HARBOR_BENCH_LOG_SQL=1 prints every SQL command with its duration.
        if (Environment.GetEnvironmentVariable("HARBOR_BENCH_LOG_SQL") == "1")
        {
            _settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
            _settings["Logging:LogLevel:Harbor.Web.Jobs.Sweep"] = "Debug";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public FakeTimeProvider Clock { get; }

    public TransactionTimer Transactions { get; } = new();

    public CommandTimer Commands { get; } = new();

    public Uri? Address { get; private set; }

    /// <summary>Starts Harbor (migrations, admin) on the database; on Kestrel when <paramref name="kestrel"/>.</summary>
    public static HarborHost Start(BenchDatabase database, bool kestrel, IDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        // WebApplicationFactory looks for the host's content root beside the solution; tell it where.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HARBOR_WEB", Path.Combine(Report.FindRepositoryRoot(), "src", "Harbor.Web"));
        var host = new HarborHost(database, settings, now ?? Morning);
        if (kestrel)
        {
            host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            host.StartServer();
            var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            host.Address = new Uri(addresses.Addresses.First());
        }
        else
        {
            _ = host.Server;
        }

        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            if (value is not null)
                builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.ConfigureDbContext<SqliteHarborDbContext>(o => Instrument(o));
            services.ConfigureDbContext<PostgresHarborDbContext>(o => Instrument(o));
        });
    }

    private DbContextOptionsBuilder Instrument(DbContextOptionsBuilder options) =>
        // A refused use case ends its transaction by disposing it (Writes.WriteAsync): no
        // interceptor sees that, the diagnostic event does.
        options.AddInterceptors(Transactions, Commands)
            .LogTo((id, _) => id == RelationalEventId.TransactionDisposed, e => Transactions.Disposed(((TransactionEventData)e).Transaction));

    /// <summary>
    /// Real HTTP clients over loopback: one connection pool, as many connections as the callers
    /// need; each caller sends its own bearer token.
    /// </summary>
    public HttpClient NewHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2048,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
            UseCookies = false,
        };
        return new HttpClient(handler) { BaseAddress = Address ?? throw new InvalidOperationException("Not on Kestrel."), Timeout = TimeSpan.FromMinutes(5) };
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>
    /// A JSON body as a browser's <c>fetch</c> or a phone's HTTP library sends one: serialized
    /// first, with its Content-Length. (<c>JsonContent</c> streams it chunked, and a chunked body
    /// can reach Kestrel in two reads, its terminating chunk later: a second wake-up for the server.)
    /// </summary>
    public static HttpContent Json(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}

/// <summary>
/// Measures every write transaction from BEGIN to COMMIT or ROLLBACK, per DbContext, so the
/// longest one a job held is known (on PostgreSQL its row locks, on SQLite the write lock).
/// </summary>
public sealed class TransactionTimer : DbTransactionInterceptor
{
    private readonly ConcurrentDictionary<DbTransaction, (DbContext? Context, long Started)> _open = new();

    public ConcurrentQueue<(DbContext? Context, double Milliseconds, bool Committed)> Finished { get; } = new();

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        _open[result] = (eventData.Context, Stopwatch.GetTimestamp() - eventData.Duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        return ValueTask.FromResult(result);
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        End(transaction, committed: true);
        return Task.CompletedTask;
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        End(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => End(transaction, committed: true);

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => End(transaction);

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        _open[result] = (eventData.Context, Stopwatch.GetTimestamp() - eventData.Duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        return result;
    }

    public void Clear() => Finished.Clear();

    public void Disposed(DbTransaction transaction) => End(transaction);

    private void End(DbTransaction transaction, bool committed = false)
    {
        if (_open.TryRemove(transaction, out var open))
            Finished.Enqueue((open.Context, Stopwatch.GetElapsedTime(open.Started).TotalMilliseconds, committed));
    }
}

/// <summary>Counts the time one DbContext spends waiting on the database, to split a job's time into SQL and the rest.</summary>
public sealed class CommandTimer : DbCommandInterceptor
{
    private long _ticks;
    private int _commands;

    public DbContext? Only { get; set; }

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public int Commands => _commands;

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return ValueTask.FromResult(result);
    }

    private void Count(CommandExecutedEventData data)
    {
        if (Only is not null && data.Context != Only)
            return;
        Interlocked.Add(ref _ticks, data.Duration.Ticks);
        Interlocked.Increment(ref _commands);
    }
}
