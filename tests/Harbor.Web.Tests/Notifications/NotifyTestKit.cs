using System.Net.Http.Json;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications.Delivery;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Notifications;

/// <summary>What the delivery tests share: an app wired to the fake SMTP server and bots.</summary>
public static class NotifyTestKit
{
    public const string PublicUrl = "https://harbor.test";
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public static DateTimeOffset Local(int month, int day, int hour, int minute = 0, int second = 0) =>
        new(2026, month, day, hour, minute, second, Shanghai);

    public static Task<HarborApp> StartAsync(Engine engine, FakeSmtpServer? smtp, bool allowPrivate = true, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Harbor:PublicUrl"] = PublicUrl,
            ["Harbor:Notifications:AllowPrivateTargets"] = allowPrivate ? "true" : "false",
        };
        foreach (var (key, value) in smtp?.Settings ?? [])
            settings[key] = value;
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
            settings[key] = value;
        return HarborApp.StartAsync(engine, settings);
    }

    public static async Task<Person> SalespersonWithEmailAsync(this HarborApp app, Guid group, string email)
    {
        var person = await app.CreatePersonAsync("salesperson", group);
        await app.SetEmailAsync(person.Id, email);
        return person;
    }

    public static Task SetEmailAsync(this HarborApp app, Guid userId, string email) =>
        app.InScopeAsync(async services => await services.GetRequiredService<HarborDbContext>().Users
            .Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, email)));

    public static async Task SetBotAsync(this HarborApp app, Guid group, string kind, string url, string? secret = null)
    {
        using var admin = await app.AdminAsync();
        (await admin.PutAsJsonAsync($"/api/groups/{group}/bot", new { kind, url, secret })).EnsureSuccessStatusCode();
    }

    /// <summary>A bot row written straight to the database, past the URL check of the API (for the send-time guard).</summary>
    public static Task StoreBotAsync(this HarborApp app, Guid group, OutboxChannel kind, string url) =>
        app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var secrets = services.GetRequiredService<BotSecrets>();
            db.GroupBots.Add(new GroupBot { GroupId = group, Kind = kind, ProtectedUrl = secrets.Protect(url), UrlHint = "test", UpdatedAt = app.Clock.GetUtcNow() });
            return await db.SaveChangesAsync();
        });

    public static Task<List<OutboxMessage>> OutboxAsync(this HarborApp app) =>
        app.InScopeAsync(async services => await services.GetRequiredService<HarborDbContext>().OutboxMessages.AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync());

    /// <summary>Runs the dispatcher on the test clock, a step at a time, until nothing is left to send or the time is up.</summary>
    public static async Task DrainAsync(this HarborApp app, TimeSpan step, DateTimeOffset until)
    {
        while (true)
        {
            await app.DispatchAsync();
            var left = await app.InScopeAsync(async services => await services.GetRequiredService<HarborDbContext>().OutboxMessages
                .CountAsync(m => m.SentAt == null && m.GaveUpAt == null));
            if (left == 0 || app.Clock.GetUtcNow() >= until)
                return;
            app.Clock.Advance(step);
        }
    }
}
