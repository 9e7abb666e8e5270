using System.Globalization;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Notifications;

/// <summary>One customer in a reminder: whose, which, and when it falls due.</summary>
public sealed record ReminderLine(Guid OwnerId, Guid CustomerId, string CustomerName, DateOnly? DueOn);

/// <summary>
/// Queues outgoing messages in the current unit of work, beside the in-app notifications: they
/// commit with the event or not at all (ADR-009). Built for bulk: one email per owner per sweep
/// batch, one message per group bot per publication.
/// </summary>
public static class Outbox
{
    /// <summary>The kinds a user may receive by email, and mute.</summary>
    public static readonly string[] EmailKinds = [NotificationKinds.DueTomorrow, NotificationKinds.ExtensionDecided, NotificationKinds.CooperationDecided];

    /// <summary>Per provider, the bytes a message's text may have (WeCom markdown 4,096; DingTalk and Feishu about 20,000).</summary>
    public static int MaxBytes(OutboxChannel channel) => channel switch
    {
        OutboxChannel.WeCom => 4096,
        OutboxChannel.DingTalk => 18000,
        OutboxChannel.Feishu => 18000,
        OutboxChannel.Email => int.MaxValue,
    };

    /// <summary>Rule 4's reminder by email: one message per owner listing all their customers due tomorrow.</summary>
    public static async Task EnqueueRemindersAsync(HarborDbContext db, IEnumerable<ReminderLine> lines, DateTimeOffset now, CancellationToken ct)
    {
        var byOwner = lines.GroupBy(l => l.OwnerId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.CustomerName, StringComparer.Ordinal).ToList());
        if (byOwner.Count == 0)
            return;
        var recipients = await RecipientsAsync(db, byOwner.Keys, NotificationKinds.DueTomorrow, ct);
        foreach (var (ownerId, (email, culture)) in recipients)
        {
            var customers = byOwner[ownerId];
            // Each customer is reminded once per due day, so its first customer and due day name this email.
            var key = $"{NotificationKinds.DueTomorrow}:{ownerId:N}:{customers.Min(c => c.CustomerId):N}:{customers[0].DueOn:yyyyMMdd}";
            Add(db, key, NotificationKinds.DueTomorrow, OutboxChannel.Email, email,
                Messages.DueTomorrow(culture, [.. customers.Select(c => (c.CustomerName, c.DueOn))]), now);
        }
    }

    /// <summary>An email to one user, unless they have no address, are inactive or muted this kind.</summary>
    public static async Task EnqueueEmailAsync(HarborDbContext db, Guid userId, string kind, string key, Func<CultureInfo, MessageText> text, DateTimeOffset now, CancellationToken ct)
    {
        var recipients = await RecipientsAsync(db, [userId], kind, ct);
        foreach (var (_, (email, culture)) in recipients)
            Add(db, $"{kind}:{key}:{userId:N}", kind, OutboxChannel.Email, email, text(culture), now);
    }

    /// <summary>
    /// Rule 4's publication to every group's bot: one message per group listing the published
    /// customers (split only by the provider's size limit), in Chinese, the groups' language.
    /// </summary>
    public static async Task EnqueuePublicationAsync(HarborDbContext db, DateTimeOffset publishedAt, CompanyCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        var bots = await db.GroupBots.AsNoTracking().Select(b => new { b.GroupId, b.Kind }).ToListAsync(ct);
        if (bots.Count == 0)
            return;
        var names = await db.Customers.AsNoTracking()
            .Where(c => c.Status == CustomerStatus.InPool && c.PublishedAt == publishedAt)
            .OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(ct);
        if (names.Count == 0)
            return;
        var culture = Messages.CultureOf(null);
        foreach (var bot in bots)
        {
            var parts = Messages.Publication(culture, calendar.ToLocal(publishedAt), names, MaxBytes(bot.Kind));
            for (var i = 0; i < parts.Count; i++)
                Add(db, $"{NotificationKinds.Published}:{publishedAt.UtcTicks}:{bot.GroupId:N}:{i + 1}", NotificationKinds.Published,
                    bot.Kind, bot.GroupId.ToString(), parts[i], now);
        }
    }

    private static void Add(HarborDbContext db, string key, string kind, OutboxChannel channel, string target, MessageText text, DateTimeOffset now) =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Key = key.Length > OutboxMessage.MaxKeyLength ? key[..OutboxMessage.MaxKeyLength] : key,
            Kind = kind,
            Channel = channel,
            Target = target,
            Subject = text.Subject.Length > OutboxMessage.MaxSubjectLength ? text.Subject[..OutboxMessage.MaxSubjectLength] : text.Subject,
            Body = text.Body,
            CreatedAt = now,
            DueAt = now,
        });

    private static async Task<Dictionary<Guid, (string Email, CultureInfo Culture)>> RecipientsAsync(
        HarborDbContext db, IReadOnlyCollection<Guid> userIds, string kind, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id) && u.IsActive && u.Email != null)
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(ct);
        var preferences = await db.NotificationPreferences.AsNoTracking()
            .Where(p => userIds.Contains(p.UserId))
            .ToDictionaryAsync(p => p.UserId, ct);
        return users
            .Where(u => !preferences.TryGetValue(u.Id, out var p) || !Muted(p.MutedKinds).Contains(kind))
            .ToDictionary(u => u.Id, u => (u.Email!, Messages.CultureOf(preferences.GetValueOrDefault(u.Id)?.Culture)));
    }

    public static string[] Muted(string? mutedKinds) =>
        mutedKinds is null ? [] : mutedKinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
