using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record MergeRequest(Guid? IntoCustomerId, string? Reason);

public sealed record MergeResponse(Guid CustomerId, Guid MergedCustomerId, DateTimeOffset MergedAt);

/// <summary>
/// Issue 6: two customers of the master registry turn out to be one company (a name typed two ways, a phone
/// found later). The clerk, keeper of the registry (rule 5), merges one into the other: the kept customer
/// carries on; the merged-away one ends, keeps its history (shown on the kept one's) and its id, keys and
/// name grams, which now resolve to the kept customer, so a registration under the old name meets the kept
/// customer once. A merge never moves or ends a protection (see <see cref="Customer.MergeInto"/>).
/// </summary>
public sealed class MergeCustomers(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar)
{
    public const int MaxReasonLength = 300;

    public async Task<Result<MergeResponse>> HandleAsync(Viewer viewer, Guid customerId, MergeRequest? request, CancellationToken ct)
    {
        if (viewer.Role != Role.Clerk)
            return new Refusal.Forbidden("The clerk keeps the master registry and merges its customers.");
        if (request?.IntoCustomerId is not { } intoId)
            return Refusal.ValidationFailed.Of("intoCustomerId", "Name the customer to keep.");
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return Refusal.ValidationFailed.Of("reason", "Say why the two are one company.");
        if (reason.Length > MaxReasonLength)
            return Refusal.ValidationFailed.Of("reason", $"Longer than {MaxReasonLength} characters.");

        return await db.WriteAsync<MergeResponse>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var away = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (away is null)
                return new Refusal.NotFound("customer");
            var kept = await db.Customers.FirstOrDefaultAsync(c => c.Id == intoId, ct);
            if (kept is null)
                return Refusal.ValidationFailed.Of("intoCustomerId", "No customer has this id.");
            var ownerBefore = away.OwnerId;
            if (away.MergeInto(kept, viewer.Id, reason, now) is { } refusal)
                return refusal;

            // Customers merged into this one earlier now resolve straight to the kept one.
            foreach (var earlier in await db.Customers.Where(c => c.MergedIntoId == away.Id).ToListAsync(ct))
                earlier.FollowMerge(kept.Id);
            if (ownerBefore is not null)
                await OwnershipEnded.ApplyAsync(db, [away.Id], now, ct);
            db.Audit(now, viewer.Id, "customer-merged", away.Id, $"{away.Name} into {kept.Name} ({kept.Id}): {reason}");
            if (kept.OwnerId is { } owner)
                db.Notifications.Add(Notify.Create(owner, NotificationKinds.CustomerMerged,
                    new { customerId = kept.Id, customerName = kept.Name, mergedCustomerId = away.Id, mergedName = away.Name }, now));
            return new MergeResponse(kept.Id, away.Id, calendar.ToLocal(now));
        }, ct);
    }
}
