using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Registrations;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Handover;

public sealed record HandoverCustomer(Guid CustomerId, string Name, CustomerStatus Status, PersonRef FormerOwner, DateOnly? DueOn);

public sealed record HandoverResponse(IReadOnlyList<HandoverCustomer> Customers);

public sealed record ReassignRequest(Guid? SalespersonId);

public sealed record ReassignResponse(Guid CustomerId, Guid SalespersonId, DateOnly? DueOn);

/// <summary>
/// The clerk's hand-over list: customers still held by deactivated accounts. Each one is given
/// to another salesperson (the protection carries on) or released to the pool at the next
/// publication.
/// </summary>
public sealed class HandOver(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    public async Task<Result<HandoverResponse>> ListAsync(Viewer viewer, CancellationToken ct)
    {
        if (viewer.Role is not (Role.Clerk or Role.Director))
            return new Refusal.Forbidden("The hand-over list is the clerk's.");
        var rows = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && c.Status != CustomerStatus.InPool && c.Status != CustomerStatus.PendingPublication)
            .Join(db.Users.Where(u => !u.IsActive), c => c.OwnerId!.Value, u => u.Id,
                (c, u) => new { c.Id, c.Name, c.Status, c.DueOn, OwnerId = u.Id, u.DisplayName })
            .OrderBy(r => r.DisplayName).ThenBy(r => r.DueOn).ThenBy(r => r.Name)
            .ToListAsync(ct);
        return new HandoverResponse(rows.Select(r => new HandoverCustomer(r.Id, r.Name, r.Status, new PersonRef(r.OwnerId, r.DisplayName), r.DueOn)).ToList());
    }

    public async Task<Result<ReassignResponse>> ReassignAsync(Viewer viewer, Guid customerId, ReassignRequest request, CancellationToken ct)
    {
        if (viewer.Role != Role.Clerk)
            return new Refusal.Forbidden("The clerk hands customers over.");
        if (request.SalespersonId is not { } to)
            return Refusal.ValidationFailed.Of("salespersonId", "Name the salesperson who takes the customer over.");

        return await db.WriteAsync<ReassignResponse>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var receiver = await db.Users.FirstOrDefaultAsync(u => u.Id == to, ct);
            if (receiver is not { Role: Role.Salesperson, IsActive: true })
                return Refusal.ValidationFailed.Of("salespersonId", "No active salesperson has this id.");
            await db.LockSalespersonAsync(to, ct);
            var customer = await LeaversCustomerAsync(customerId, ct);
            if (customer.Refusal is { } refusal)
                return refusal;
            if (customer.Value!.Status.UsesSlot() && Slots.CheckFreeSlot(await SlotCount.OfAsync(db, to, ct), policy.SlotLimit, false) is { } full)
                return full;

            var moved = customer.Value.Reassign(to, viewer.Id, now);
            if (!moved.Succeeded)
                return moved.Refusal;
            await OwnershipEnded.ApplyAsync(db, [customerId], now, ct);
            receiver.SlotVersion++;
            return new ReassignResponse(customerId, to, customer.Value.DueOn);
        }, ct);
    }

    public async Task<Result<ReleasedResponse>> ReleaseAsync(Viewer viewer, Guid customerId, CancellationToken ct)
    {
        if (viewer.Role != Role.Clerk)
            return new Refusal.Forbidden("The clerk hands customers over.");
        return await db.WriteAsync<ReleasedResponse>(gate, async () =>
        {
            var customer = await LeaversCustomerAsync(customerId, ct);
            if (customer.Refusal is { } refusal)
                return refusal;
            var now = clock.GetUtcNow();
            var publishAt = customer.Value!.Release(viewer.Id, "hand-over of a deactivated account", now, calendar);
            if (!publishAt.Succeeded)
                return publishAt.Refusal;
            await OwnershipEnded.ApplyAsync(db, [customerId], now, ct);
            return new ReleasedResponse(customerId, calendar.ToLocal(publishAt.Value));
        }, ct);
    }

    private async Task<Result<Customer>> LeaversCustomerAsync(Guid customerId, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
            return new Refusal.NotFound("customer");
        var ownerActive = customer.OwnerId is { } owner && await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct);
        if (customer.OwnerId is null || ownerActive)
            return new Refusal.Forbidden("Only customers of deactivated accounts are handed over.");
        return customer;
    }
}
