using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record OwnerResponse(Guid Id, string DisplayName, Guid? GroupId, string? Group);

public sealed record CustomerResponse(
    Guid Id,
    string Name,
    string? Phone,
    string? CreditCode,
    string? ContactName,
    string? Address,
    string? Notes,
    CustomerStatus Status,
    OwnerResponse? Owner,
    DateOnly? StartsOn,
    DateOnly? DueOn,
    DateTimeOffset? ReleaseAt,
    DateTimeOffset? PublishAt,
    string? Stage,
    DateTimeOffset CreatedAt,
    Guid? MergedFrom = null);

/// <summary>The full record, for the owner, the clerk, the director and the owner's group manager.</summary>
public sealed class ReadCustomer(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<CustomerResponse>> HandleAsync(Viewer viewer, Guid customerId, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
            return new Refusal.NotFound("customer");
        // Issue 6: a merged-away id keeps resolving, to the kept customer, saying which id was asked for.
        Guid? mergedFrom = null;
        if (customer.MergedIntoId is { } keptId && await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == keptId, ct) is { } kept)
        {
            mergedFrom = customer.Id;
            customer = kept;
        }

        var owner = customer.OwnerId is { } ownerId
            ? await db.Users.AsNoTracking().Where(u => u.Id == ownerId)
                .Select(u => new OwnerResponse(u.Id, u.DisplayName, u.GroupId, u.Group!.Name)).FirstOrDefaultAsync(ct)
            : null;
        if (!CustomerAccess.CanRead(viewer, customer.OwnerId, owner?.GroupId, await Cooperators.IsCooperatorAsync(db, viewer, customer.Id, ct)))
            return viewer.Role == Role.Salesperson
                ? new Refusal.NotYourCustomer(customerId)
                : new Refusal.Forbidden("You may not read this customer.");

        return new CustomerResponse(
            customer.Id, customer.Name, customer.Phone, customer.CreditCode, customer.ContactName, customer.Address, customer.Notes,
            customer.Status, owner, customer.StartsOn, customer.DueOn,
            Local(customer.ReleaseAt), Local(customer.PublishAt), customer.Stage, calendar.ToLocal(customer.CreatedAt), mergedFrom);
    }

    private DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } at ? calendar.ToLocal(at) : null;
}
