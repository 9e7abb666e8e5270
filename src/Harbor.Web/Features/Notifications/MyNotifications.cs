using System.Text.Json.Nodes;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Notifications;

public sealed record NotificationsResponse(IReadOnlyList<JsonObject> Items, int Unread);

/// <summary>The bell: a user's own notifications, newest first, and marking them read.</summary>
public sealed class MyNotifications(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar)
{
    public const int MaxItems = 200;

    public Task<NotificationsResponse> ListAsync(Viewer viewer, bool unreadOnly, CancellationToken ct) =>
        ListAsync(viewer, unreadOnly, MaxItems, ct);

    /// <param name="max">The bell asks for the latest few; the list and the API for up to <see cref="MaxItems"/>.</param>
    public async Task<NotificationsResponse> ListAsync(Viewer viewer, bool unreadOnly, int max, CancellationToken ct)
    {
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == viewer.Id);
        if (unreadOnly)
            query = query.Where(n => n.ReadAt == null);
        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(max, 1, MaxItems)).ToListAsync(ct);
        var unread = await db.Notifications.CountAsync(n => n.UserId == viewer.Id && n.ReadAt == null, ct);
        var items = rows.Select(n =>
        {
            // The kind's own fields come first-class, beside the envelope every item has.
            var item = JsonNode.Parse(n.Payload) as JsonObject ?? [];
            item["id"] = n.Id;
            item["kind"] = n.Kind;
            item["createdAt"] = calendar.ToLocal(n.CreatedAt);
            item["read"] = n.ReadAt is not null;
            return item;
        }).ToList();
        return new NotificationsResponse(items, unread);
    }

    public async Task<Result<bool>> MarkReadAsync(Viewer viewer, Guid? id, CancellationToken ct) =>
        await db.WriteAsync<bool>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var mine = db.Notifications.Where(n => n.UserId == viewer.Id && n.ReadAt == null);
            if (id is { } one)
            {
                if (!await db.Notifications.AnyAsync(n => n.Id == one && n.UserId == viewer.Id, ct))
                    return new Refusal.NotFound("notification");
                mine = mine.Where(n => n.Id == one);
            }

            await mine.ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), ct);
            return true;
        }, ct);
}
