using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Notifications.Delivery;

/// <summary>
/// A token bucket per bot in the database (ADR-009): the pace holds across restarts and across
/// instances, because taking a token is a write under a concurrency token.
/// </summary>
public sealed class BotPace(HarborDbContext db, WriteGate gate, IOptionsMonitor<HarborOptions> options)
{
    /// <summary>WeCom and DingTalk keep a bot quiet this long after it went too fast.</summary>
    public static readonly TimeSpan Throttle = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The limit belongs to the bot, not to the group: two groups given the same webhook share one
    /// bucket. The key is a hash of the URL, so the table holds no secret.
    /// </summary>
    public static string KeyOf(BotTarget bot) =>
        "bot:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bot.Url)))[..40];

    /// <summary>Takes a token, or says when the next one will be there.</summary>
    public async Task<DateTimeOffset?> TryTakeAsync(string target, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.CurrentValue.Notifications;
        double burst = Math.Max(1, settings.BotBurst), perMinute = Math.Max(1, settings.BotPerMinute);
        var result = await db.WriteAsync<DateTimeOffset?>(gate, async () =>
        {
            var pace = await db.BotPaces.FirstOrDefaultAsync(p => p.Target == target, ct);
            if (pace is null)
                pace = db.BotPaces.Add(new BotPacing { Target = target, Tokens = burst, RefilledAt = now }).Entity;
            if (pace.ThrottledUntil is { } until && until > now)
                return until;
            var tokens = Math.Min(burst, pace.Tokens + Math.Max(0, (now - pace.RefilledAt).TotalMinutes) * perMinute);
            if (tokens < 1)
                return now + TimeSpan.FromMinutes((1 - tokens) / perMinute);
            pace.Tokens = tokens - 1;
            pace.RefilledAt = now;
            pace.Version++;
            return (DateTimeOffset?)null;
        }, ct);
        return result.Value;
    }

    /// <summary>The provider said "too fast": nothing more to this bot until its throttle is over.</summary>
    public async Task ThrottleAsync(string target, DateTimeOffset now, CancellationToken ct) =>
        await db.WriteAsync<bool>(gate, async () =>
        {
            var pace = await db.BotPaces.FirstOrDefaultAsync(p => p.Target == target, ct)
                ?? db.BotPaces.Add(new BotPacing { Target = target, RefilledAt = now }).Entity;
            pace.ThrottledUntil = now + Throttle;
            pace.Tokens = 0;
            pace.RefilledAt = now + Throttle;
            pace.Version++;
            return true;
        }, ct);
}
