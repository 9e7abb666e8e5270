using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Notifications;
using Harbor.Web.Features.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Reviews;

public sealed record ReviewItem(Guid RegistrationId, string Name, PersonRef Salesperson, DateTimeOffset RequestedAt, IReadOnlyList<CheckMatch> Candidates);

public sealed record ReviewList(IReadOnlyList<ReviewItem> Items);

public sealed record RejectBody(Guid? DuplicateOfId);

public sealed record ReviewDecision(Guid RegistrationId, ReviewStatus Status, Guid? CustomerId, ProtectionResponse? Protection, Guid? DuplicateOfId);

/// <summary>
/// The clerk's review queue (issue 6): registrations that look like a customer already in the
/// registry. Approved, the customer is entered and protected from that day; rejected, it is
/// recorded as a duplicate of the customer named. The salesperson is told either way.
/// </summary>
public sealed class ReviewQueue(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    public async Task<Result<ReviewList>> ListAsync(Viewer viewer, CancellationToken ct)
    {
        if (viewer.Role is not (Role.Clerk or Role.Director))
            return new Refusal.Forbidden("The review queue is the clerk's.");
        var pending = await db.Reviews.AsNoTracking().Where(r => r.Status == ReviewStatus.Pending)
            .OrderBy(r => r.RequestedAt).Take(500).ToListAsync(ct);
        var names = await People.NamesAsync(db, pending.Select(r => (Guid?)r.SalespersonId), ct);
        var candidateIds = pending.SelectMany(r => r.Candidates).Distinct().ToList();
        var candidates = await db.Customers.AsNoTracking().Where(c => candidateIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        // A candidate merged since (issue 6) is shown as the customer it was merged into, once.
        var kept = await Conflicts.KeptAsync(db, candidates.Values, tracked: false, ct);
        var items = new List<ReviewItem>();
        foreach (var review in pending)
        {
            var normalized = CompanyName.Normalize(review.Name);
            var similar = review.Candidates.Where(candidates.ContainsKey)
                .Select(id => new SimilarCustomer(Conflicts.Resolve(candidates[id], kept), NameSimilarity.Score(normalized, CompanyName.Normalize(candidates[id].Name))))
                .Where(s => s.Customer.Status != CustomerStatus.Merged)
                .GroupBy(s => s.Customer.Id).Select(g => g.MaxBy(s => s.Score)!)
                .OrderByDescending(s => s.Score)
                .ToList();
            items.Add(new ReviewItem(review.Id, review.Name, People.Ref(names, review.SalespersonId)!, calendar.ToLocal(review.RequestedAt),
                await Candidates.DescribeAsync(db, similar, calendar, ct)));
        }

        return new ReviewList(items);
    }

    public async Task<Result<ReviewDecision>> ApproveAsync(Viewer viewer, Guid id, CancellationToken ct)
    {
        if (viewer.Role != Role.Clerk)
            return new Refusal.Forbidden("The clerk decides registrations under review.");
        return await db.WriteAsync<ReviewDecision>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var review = await db.Reviews.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (review is null)
                return new Refusal.NotFound("registration under review");
            await db.LockSalespersonAsync(review.SalespersonId, ct);
            await db.LockKeysAsync([review.NameKey, review.PhoneKey, review.CreditCodeKey], ct);
            var term = ProtectionTerm.StartingAt(now, policy, calendar);
            var approved = review.Approve(viewer.Id, term, now);
            if (!approved.Succeeded)
                return approved.Refusal;
            db.Customers.Add(approved.Value);
            Tell(review, approved: true, now);
            return new ReviewDecision(review.Id, review.Status, approved.Value.Id, new ProtectionResponse(review.SalespersonId, term.StartsOn, term.DueOn), null);
        }, ct);
    }

    public async Task<Result<ReviewDecision>> RejectAsync(Viewer viewer, Guid id, RejectBody? body, CancellationToken ct)
    {
        if (viewer.Role != Role.Clerk)
            return new Refusal.Forbidden("The clerk decides registrations under review.");
        if (body?.DuplicateOfId is not { } duplicateOf)
            return Refusal.ValidationFailed.Of("duplicateOfId", "Name the customer it duplicates.");
        return await db.WriteAsync<ReviewDecision>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var review = await db.Reviews.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (review is null)
                return new Refusal.NotFound("registration under review");
            var duplicate = await db.Customers.AsNoTracking().Where(c => c.Id == duplicateOf).Select(c => new { c.Id, c.MergedIntoId }).FirstOrDefaultAsync(ct);
            if (duplicate is null)
                return Refusal.ValidationFailed.Of("duplicateOfId", "No customer has this id.");
            // A customer merged away since stands for the one it was merged into (issue 6).
            duplicateOf = duplicate.MergedIntoId ?? duplicate.Id;
            if (review.Reject(viewer.Id, duplicateOf, now) is { } refusal)
                return refusal;
            Tell(review, approved: false, now);
            db.Audit(now, viewer.Id, "registration-rejected", review.Id, $"{review.Name}: duplicate of {duplicateOf}");
            return new ReviewDecision(review.Id, review.Status, null, null, duplicateOf);
        }, ct);
    }

    private void Tell(RegistrationReview review, bool approved, DateTimeOffset now) =>
        db.Notifications.Add(Notify.Create(review.SalespersonId, NotificationKinds.RegistrationReviewed,
            new { registrationId = review.Id, customerName = review.Name, approved, customerId = approved ? review.Id : (Guid?)null, duplicateOfId = review.DuplicateOfId }, now));
}
