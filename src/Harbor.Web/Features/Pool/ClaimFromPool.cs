using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Pool;

public sealed record ClaimRequest(Guid? ReleaseCustomerId);

public sealed record ClaimResponse(Guid CustomerId, ProtectionResponse Protection, ReleasedResponse? Released);

/// <summary>
/// A salesperson takes a published customer from the pool (领取): a fresh protection, one slot,
/// optionally giving one of their own up in the same step. At the 10:00 rush exactly one claimer
/// wins each customer; the others get already-claimed.
/// </summary>
public sealed class ClaimFromPool(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar, PoolFeed feed)
{
    public async Task<Result<ClaimResponse>> HandleAsync(Viewer viewer, Guid customerId, ClaimRequest? request, CancellationToken ct)
    {
        if (viewer.Role != Role.Salesperson)
            return new Refusal.Forbidden("Only salespeople claim customers from the pool.");

        // At the 10:00 rush most claims are for customers someone has already taken. A plain read
        // refuses those without queueing for the write transaction (SQLite's single writer,
        // PostgreSQL's row lock); a customer still in the pool goes on to the guarded claim below,
        // which decides again (docs/benchmarks.md, the rush).
        var seen = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.Status, c.PublishAt }).FirstOrDefaultAsync(ct);
        if (seen is null)
            return new Refusal.NotFound("customer");
        if (seen.Status != CustomerStatus.InPool)
            return NotInPool(customerId, seen.Status, seen.PublishAt);

        var result = await db.WriteAsync<ClaimResponse>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            // The customer first, then the salesperson: the claimers of one customer queue on its row (no
            // re-run after a lost race), a salesperson's own requests on theirs. No other use case holds a
            // salesperson's row while it waits for a customer in the pool (a deadlock would still be a lost race).
            await db.LockCustomerAsync(customerId, ct);
            // Most claims that get this far at the rush lost the race while they queued: refuse them before
            // touching the salesperson (one statement each on the single writer's path, no second lock).
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
                return new Refusal.NotFound("customer");
            if (customer.Status != CustomerStatus.InPool)
                return NotInPool(customer.Id, customer.Status, customer.PublishAt);

            await db.LockSalespersonAsync(viewer.Id, ct);
            var salesperson = await db.Users.FirstAsync(u => u.Id == viewer.Id, ct);

            var lastLost = await db.CustomerEvents.AsNoTracking()
                .Where(e => e.CustomerId == customerId && e.SalespersonId == viewer.Id
                    && (e.Kind == CustomerEventKind.Released || e.Kind == CustomerEventKind.Expired))
                .OrderByDescending(e => e.At).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(ct);
            if (CoolDown.Check(customerId, lastLost, now, policy) is Refusal.CoolDown coolDown)
                return coolDown with { Until = calendar.ToLocal(coolDown.Until) };

            Customer? givenUp = null;
            if (request?.ReleaseCustomerId is { } releaseId)
            {
                givenUp = await db.Customers.FirstOrDefaultAsync(c => c.Id == releaseId, ct);
                if (givenUp is null || givenUp.OwnerId != viewer.Id || givenUp.Status != CustomerStatus.Protected)
                    return new Refusal.NotYourCustomer(releaseId);
            }

            if (Slots.CheckFreeSlot(await SlotCount.OfAsync(db, viewer.Id, ct), policy.SlotLimit, givenUp is not null) is { } full)
                return full;

            ReleasedResponse? released = null;
            if (givenUp is not null)
            {
                var publishAt = givenUp.Release(viewer.Id, "given up for a claim from the pool", now, calendar);
                if (!publishAt.Succeeded)
                    return publishAt.Refusal;
                released = new ReleasedResponse(givenUp.Id, calendar.ToLocal(publishAt.Value));
                await OwnershipEnded.ApplyAsync(db, [givenUp.Id], now, ct);
            }

            var claimed = customer.Claim(viewer.Id, ProtectionTerm.StartingAt(now, policy, calendar), now);
            if (!claimed.Succeeded)
                return claimed.Refusal;
            salesperson.SlotVersion++;
            return new ClaimResponse(customer.Id, new ProtectionResponse(viewer.Id, claimed.Value.StartsOn, claimed.Value.DueOn), released);
        }, ct);
        // After the commit: open pool pages drop the customer without a reload.
        if (result.Succeeded)
            feed.Claimed(customerId);
        return result;
    }

    private Refusal NotInPool(Guid customerId, CustomerStatus status, DateTimeOffset? publishAt) =>
        status == CustomerStatus.PendingPublication
            ? new Refusal.NotPublished(customerId, publishAt is { } at ? calendar.ToLocal(at) : null)
            : new Refusal.AlreadyClaimed(customerId);
}
