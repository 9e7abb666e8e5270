using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record ReleaseRequest(string? Reason);

public sealed record ReleaseResponse(Guid CustomerId, DateTimeOffset PublishAt);

/// <summary>
/// A salesperson gives a customer up (放弃), or the clerk does it for them. It waits for the next
/// publication time as pending-publication; nobody can register it meanwhile.
/// </summary>
public sealed class ReleaseCustomer(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar)
{
    public async Task<Result<ReleaseResponse>> HandleAsync(Viewer viewer, Guid customerId, ReleaseRequest? request, CancellationToken ct)
    {
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
        if (reason is { Length: > CustomerEvent.MaxReasonLength })
            return Refusal.ValidationFailed.Of("reason", $"Longer than {CustomerEvent.MaxReasonLength} characters.");

        return await db.WriteAsync<ReleaseResponse>(gate, async () =>
        {
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
                return new Refusal.NotFound("customer");
            if (!CustomerAccess.CanRelease(viewer, customer))
                return viewer.Role == Role.Salesperson
                    ? new Refusal.NotYourCustomer(customerId)
                    : new Refusal.Forbidden("Only the owner or the clerk gives a customer up.");
            if (customer.OwnerId is { } owner)
                await db.LockSalespersonAsync(owner, ct);

            var now = clock.GetUtcNow();
            var publishAt = customer.Release(viewer.Id, reason, now, calendar);
            if (!publishAt.Succeeded)
                return publishAt.Refusal;
            await OwnershipEnded.ApplyAsync(db, [customer.Id], now, ct);
            return new ReleaseResponse(customer.Id, calendar.ToLocal(publishAt.Value));
        }, ct);
    }
}
