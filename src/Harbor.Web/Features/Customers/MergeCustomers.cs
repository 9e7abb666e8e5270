using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
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
/// The owner's live work on the merged-away customer follows the company (<see cref="FollowAsync"/>).
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
            var followed = await FollowAsync(away.Id, kept.Id, ct);
            if (ownerBefore is not null)
                await OwnershipEnded.ApplyAsync(db, [away.Id], now, ct);
            db.Audit(now, viewer.Id, "customer-merged", away.Id, $"{away.Name} into {kept.Name} ({kept.Id}): {reason}{followed}");
            if (kept.OwnerId is { } owner)
                db.Notifications.Add(Notify.Create(owner, NotificationKinds.CustomerMerged,
                    new { customerId = kept.Id, customerName = kept.Name, mergedCustomerId = away.Id, mergedName = away.Name }, now));
            return new MergeResponse(kept.Id, away.Id, calendar.ToLocal(now));
        }, ct);
    }

    /// <summary>
    /// A merge joins two records of one company held by one owner (or none), so the owner's live work on the
    /// merged-away record moves to the kept one: a pending extension request, unless the kept customer has one
    /// pending already (the owner asks once per customer); live cooperations, unless the partner already
    /// cooperates on the kept customer or the shares would leave the owner under 1% (rule 8). What does not
    /// move is settled as when an ownership ends (<see cref="OwnershipEnded"/>): the request is too late, the
    /// cooperation ends. Returns a note for the audit line.
    /// </summary>
    private async Task<string> FollowAsync(Guid awayId, Guid keptId, CancellationToken ct)
    {
        var extensions = await db.Extensions.Where(e => (e.CustomerId == awayId || e.CustomerId == keptId) && e.Status == ExtensionStatus.Pending).ToListAsync(ct);
        var movedExtensions = 0;
        if (!extensions.Any(e => e.CustomerId == keptId))
            movedExtensions = extensions.Count(e => e.FollowMerge(keptId));

        var cooperations = await db.Cooperations.Where(c => (c.CustomerId == awayId || c.CustomerId == keptId)
            && (c.Status == CooperationStatus.Pending || c.Status == CooperationStatus.Approved)).OrderBy(c => c.ProposedAt).ToListAsync(ct);
        var keptPartners = cooperations.Where(c => c.CustomerId == keptId).Select(c => c.PartnerId).ToHashSet();
        var keptShares = cooperations.Where(c => c.CustomerId == keptId).Sum(c => c.SharePercent);
        var movedCooperations = 0;
        foreach (var cooperation in cooperations.Where(c => c.CustomerId == awayId))
        {
            if (keptPartners.Contains(cooperation.PartnerId) || keptShares + cooperation.SharePercent > CooperationAgreement.MaxTotalSharePercent)
                continue;
            cooperation.FollowMerge(keptId);
            keptPartners.Add(cooperation.PartnerId);
            keptShares += cooperation.SharePercent;
            movedCooperations++;
        }

        return movedExtensions + movedCooperations == 0 ? "" : $" (moved to the kept customer: {movedExtensions} pending extension, {movedCooperations} cooperation)";
    }
}
