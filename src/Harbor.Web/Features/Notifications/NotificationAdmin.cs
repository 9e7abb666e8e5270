using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Notifications;

/// <summary>SMTP as configured; the password is only said to be set or not.</summary>
public sealed record SmtpStatus(bool Configured, string? Host, int Port, string? From, bool UseTls, string? Username, bool PasswordSet);

public sealed record GroupBotRow(Guid GroupId, string Name, BotResponse? Bot);

/// <summary>A message that failed at least once and was not sent: the provider's answer, and whether retries stopped.</summary>
public sealed record DeliveryFailure(
    Guid Id, string Kind, string Channel, string Target, string Subject, int Attempts,
    DateTimeOffset? LastAttemptAt, int? LastStatus, string? LastError, bool GaveUp, DateTimeOffset NextAttemptAt);

public sealed record NotificationsOverview(SmtpStatus Smtp, IReadOnlyList<GroupBotRow> Groups, IReadOnlyList<DeliveryFailure> Failures, int Waiting);

/// <summary>The admin's view of outgoing notifications (issue 10), and the retry button.</summary>
public sealed class NotificationAdmin(HarborDbContext db, WriteGate gate, TimeProvider clock, IOptionsMonitor<HarborOptions> options, Http.Actor actor)
{
    public const int MaxFailures = 200;

    public async Task<NotificationsOverview> OverviewAsync(CancellationToken ct)
    {
        var smtp = options.CurrentValue.Notifications.Smtp;
        var status = new SmtpStatus(smtp.Configured, smtp.Host, smtp.Port, smtp.From, smtp.UseTls, smtp.Username, !string.IsNullOrEmpty(smtp.Password));
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new { g.Id, g.Name }).ToListAsync(ct);
        var bots = await db.GroupBots.AsNoTracking().ToDictionaryAsync(b => b.GroupId, ct);
        var names = groups.ToDictionary(g => g.Id.ToString(), g => g.Name);
        var failures = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.SentAt == null && m.LastError != null)
            .OrderByDescending(m => m.LastAttemptAt).Take(MaxFailures)
            .ToListAsync(ct);
        var waiting = await db.OutboxMessages.CountAsync(m => m.SentAt == null && m.GaveUpAt == null, ct);
        return new NotificationsOverview(
            status,
            [.. groups.Select(g => new GroupBotRow(g.Id, g.Name, bots.TryGetValue(g.Id, out var bot) ? GroupBots.Response(bot) : null))],
            [.. failures.Select(m => new DeliveryFailure(m.Id, m.Kind, m.Channel == OutboxChannel.Email ? "email" : GroupBots.KindName(m.Channel),
                m.Channel == OutboxChannel.Email ? m.Target : names.GetValueOrDefault(m.Target, m.Target),
                m.Subject, m.Attempts, m.LastAttemptAt, m.LastStatus, m.LastError, m.GaveUpAt is not null, m.DueAt))],
            waiting);
    }

    /// <summary>Puts a failed message back in line now, with a fresh set of attempts.</summary>
    public Task<Result<bool>> RetryAsync(Guid id, CancellationToken ct) =>
        db.WriteAsync<bool>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, ct);
            if (message is null || message.SentAt is not null)
                return new Refusal.NotFound("failed message");
            message.GaveUpAt = null;
            message.Attempts = 0;
            message.DueAt = now;
            db.Audit(now, actor.Id, AuditActions.SettingChanged, id, $"notification retried: {message.Kind}");
            return true;
        }, ct);
}
