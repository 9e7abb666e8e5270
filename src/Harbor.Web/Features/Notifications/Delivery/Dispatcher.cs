using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Notifications.Delivery;

/// <summary>
/// Delivers the outbox (ADR-009). Each message is claimed with a lease by a conditional update,
/// so two instances never hold it at once; a lease that ran out (a crashed instance) is taken
/// over. The send is followed by the mark, which is conditional on the lease and not cancellable:
/// a stop request between the two cannot lose the fact that the message went out.
/// </summary>
public sealed class Dispatcher(
    HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar, IMessageSender sender,
    BotPace pace, BotSecrets secrets, IOptionsMonitor<HarborOptions> options, ILogger<Dispatcher> logger)
{
    public const int BatchSize = 50;

    /// <summary>Feishu asks senders to keep off the exact minute of 10:00; its messages wait for 10:01–10:05.</summary>
    public static readonly TimeOnly FeishuQuietMinute = new(10, 0);

    /// <summary>One pass: sends what is due. Returns how many messages went out.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.SentAt == null && m.GaveUpAt == null && m.DueAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.DueAt).ThenBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        var sent = 0;
        var waiting = new HashSet<string>();
        foreach (var message in due)
        {
            // A bot that is out of tokens stays out for this pass: its other messages wait too.
            if (message.Channel != OutboxChannel.Email && waiting.Contains(message.Target))
                continue;
            var lease = Guid.NewGuid();
            if (!await ClaimAsync(message.Id, lease, ct))
                continue;
            var outcome = await DeliverAsync(message, lease, ct);
            if (outcome == Outcome.Sent)
                sent++;
            else if (outcome == Outcome.Paced)
                waiting.Add(message.Target);
        }

        return sent;
    }

    private enum Outcome
    {
        Sent,
        Failed,
        Paced,
    }

    private async Task<bool> ClaimAsync(Guid id, Guid lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now + options.CurrentValue.Notifications.Dispatcher.Lease;
        var claimed = await db.WriteAsync<int>(gate, async () =>
            await db.OutboxMessages
                .Where(m => m.Id == id && m.SentAt == null && m.GaveUpAt == null && (m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseId, lease).SetProperty(m => m.LeaseUntil, until), ct), ct);
        return claimed.Value == 1;
    }

    private async Task<Outcome> DeliverAsync(OutboxMessage message, Guid lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        BotTarget? bot = null;
        if (message.Channel != OutboxChannel.Email)
        {
            if (message.Channel == OutboxChannel.Feishu && InFeishuQuietMinute(now) is { } later)
            {
                await RescheduleAsync(message.Id, lease, later, ct);
                return Outcome.Paced;
            }

            bot = await BotAsync(message.Target, ct);
            if (bot is not null && await pace.TryTakeAsync(BotPace.KeyOf(bot), now, ct) is { } next)
            {
                await RescheduleAsync(message.Id, lease, next, ct);
                return Outcome.Paced;
            }
        }

        Delivery delivery;
        try
        {
            delivery = await sender.SendAsync(message, WithLinks(message.Body), bot, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped mid-send: give the message back at once; whether it left is for the next attempt to find out.
            await RescheduleAsync(message.Id, lease, clock.GetUtcNow(), CancellationToken.None);
            throw;
        }

        // From here on nothing is cancellable: the send happened, and so must its record.
        var after = clock.GetUtcNow();
        if (delivery.Sent)
        {
            var marked = await db.WriteAsync<int>(gate, async () =>
                await db.OutboxMessages.Where(m => m.Id == message.Id && m.LeaseId == lease)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.SentAt, after)
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                        .SetProperty(m => m.LastAttemptAt, after)
                        .SetProperty(m => m.LeaseId, (Guid?)null)
                        .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None), CancellationToken.None);
            if (marked.Value == 0)
                logger.LogWarning("Outbox message {Id} was sent after its lease ran out; another dispatcher may send it again.", message.Id);
            return Outcome.Sent;
        }

        if (delivery.Throttled && bot is not null)
            await pace.ThrottleAsync(BotPace.KeyOf(bot), after, CancellationToken.None);
        var attempts = message.Attempts + 1;
        var settings = options.CurrentValue.Notifications.Dispatcher;
        var giveUp = delivery.Permanent || attempts >= settings.MaxAttempts;
        var retryAt = delivery.Throttled ? after + BotPace.Throttle : after + Backoff(attempts);
        var error = delivery.Answer is { Length: > OutboxMessage.MaxErrorLength } answer ? answer[..OutboxMessage.MaxErrorLength] : delivery.Answer ?? "(no answer)";
        await db.WriteAsync<int>(gate, async () =>
            await db.OutboxMessages.Where(m => m.Id == message.Id && m.LeaseId == lease)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastAttemptAt, after)
                    .SetProperty(m => m.LastStatus, delivery.Status)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.DueAt, retryAt)
                    .SetProperty(m => m.GaveUpAt, giveUp ? after : null)
                    .SetProperty(m => m.LeaseId, (Guid?)null)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None), CancellationToken.None);
        logger.LogWarning("Outbox message {Id} ({Channel}) failed, attempt {Attempts}: {Status} {Answer}", message.Id, message.Channel, attempts, delivery.Status, error);
        return Outcome.Failed;
    }

    /// <summary>30 s, 1 min, 2 min ... up to an hour, with a little jitter so that retries do not march together.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(3600, 30 * Math.Pow(2, Math.Max(0, attempts - 1)));
        return TimeSpan.FromSeconds(seconds * (1 + Random.Shared.NextDouble() * 0.1));
    }

    private DateTimeOffset? InFeishuQuietMinute(DateTimeOffset now)
    {
        var local = calendar.ToLocal(now);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        if (time < FeishuQuietMinute || time >= FeishuQuietMinute.AddMinutes(1))
            return null;
        var minute = local - local.TimeOfDay + FeishuQuietMinute.ToTimeSpan();
        return (minute + TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(Random.Shared.Next(0, 240))).ToUniversalTime();
    }

    private async Task RescheduleAsync(Guid id, Guid lease, DateTimeOffset at, CancellationToken ct) =>
        await db.WriteAsync<int>(gate, async () =>
            await db.OutboxMessages.Where(m => m.Id == id && m.LeaseId == lease)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.DueAt, at)
                    .SetProperty(m => m.LeaseId, (Guid?)null)
                    .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), ct), ct);

    private async Task<BotTarget?> BotAsync(string groupId, CancellationToken ct)
    {
        if (!Guid.TryParse(groupId, out var id))
            return null;
        var bot = await db.GroupBots.AsNoTracking().FirstOrDefaultAsync(b => b.GroupId == id, ct);
        return bot is null ? null : new BotTarget(bot.Kind, secrets.Unprotect(bot.ProtectedUrl), bot.ProtectedSecret is null ? null : secrets.Unprotect(bot.ProtectedSecret));
    }

    private string WithLinks(string body)
    {
        var baseUrl = (options.CurrentValue.PublicUrl ?? "http://localhost:5000").TrimEnd('/');
        return body.Replace(Messages.HarborLink, baseUrl, StringComparison.Ordinal);
    }
}

/// <summary>Runs the dispatcher every few seconds; the outbox is its memory, so a missed tick loses nothing.</summary>
public sealed class DispatcherService(IServiceScopeFactory scopes, TimeProvider clock, IOptions<HarborOptions> options, ILogger<DispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Notifications.Dispatcher;
        if (!settings.Enabled)
            return;
        using var timer = new PeriodicTimer(settings.Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<Dispatcher>().RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The notification dispatcher failed; it will try again at the next tick.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
