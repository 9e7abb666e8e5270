using Harbor.Domain.Cooperation;
using Harbor.Domain.Extensions;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

/// <summary>
/// What follows when customers leave their owner (given up, expired, handed over): a pending
/// extension came too late (rule 6: it does not stop the release) and its requester is told;
/// cooperations on them end with the ownership they were attached to (rule 8).
/// </summary>
public static class OwnershipEnded
{
    public static async Task ApplyAsync(HarborDbContext db, IReadOnlyCollection<Guid> customerIds, DateTimeOffset now, CancellationToken ct)
    {
        if (customerIds.Count == 0)
            return;
        // Filtered again in memory: the query matches the rows as saved, but a request or cooperation this unit
        // of work has moved to another customer (a merge) is tracked with its new customer and stays live.
        var pending = await db.Extensions.Where(e => customerIds.Contains(e.CustomerId) && e.Status == ExtensionStatus.Pending).ToListAsync(ct);
        var tooLate = pending.Where(r => customerIds.Contains(r.CustomerId) && r.MarkTooLate(now)).ToList();
        if (tooLate.Count > 0)
        {
            var ids = tooLate.Select(r => r.CustomerId).Distinct().ToList();
            var names = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
            foreach (var request in tooLate)
            {
                db.Notifications.Add(Notify.Create(request.SalespersonId, NotificationKinds.ExtensionTooLate,
                    new { extensionId = request.Id, customerId = request.CustomerId, days = request.Days }, now));
                // The requester hears the outcome as for a decision (rule 6): by email too, under the same kind they
                // may mute, and keyed by the request, which has one outcome only.
                var name = names.GetValueOrDefault(request.CustomerId, "");
                await Outbox.EnqueueEmailAsync(db, request.SalespersonId, NotificationKinds.ExtensionDecided, request.Id.ToString("N"),
                    culture => Messages.ExtensionTooLate(culture, name, request.Days), now, ct);
            }
        }
        var live = await db.Cooperations.Where(c => customerIds.Contains(c.CustomerId)
            && (c.Status == CooperationStatus.Pending || c.Status == CooperationStatus.Approved)).ToListAsync(ct);
        foreach (var cooperation in live.Where(c => customerIds.Contains(c.CustomerId)))
            cooperation.End(null, now);
    }
}
