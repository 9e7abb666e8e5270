using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Pool;

public sealed record PoolCustomer(Guid CustomerId, string Name, DateTimeOffset PublishedAt, string? Phone, string? ContactName, string? Stage);

public sealed record PoolResponse(IReadOnlyList<PoolCustomer> Customers, int Total, int Page, int PageSize, DateTimeOffset NextPublicationAt);

/// <summary>
/// The public pool (公海): every published customer, newest first. Contacts are masked until
/// someone claims the customer.
/// </summary>
public sealed class ListPool(HarborDbContext db, TimeProvider clock, Domain.Policy.CompanyCalendar calendar)
{
    public const int MaxPageSize = 500;

    public async Task<PoolResponse> HandleAsync(string? search, int page, int pageSize, CancellationToken ct)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var query = db.Customers.AsNoTracking().Where(c => c.Status == CustomerStatus.InPool);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(c => c.Name.Contains(term));
        }

        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(c => c.PublishedAt).ThenBy(c => c.Name)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new { c.Id, c.Name, c.PublishedAt, c.Phone, c.ContactName, c.Stage })
            .ToListAsync(ct);
        var customers = rows.Select(c => new PoolCustomer(
            c.Id, c.Name, calendar.ToLocal(c.PublishedAt!.Value), Masking.Phone(c.Phone), Masking.Name(c.ContactName), c.Stage)).ToList();
        return new PoolResponse(customers, total, page, pageSize, calendar.ToLocal(calendar.NextPublicationAfter(clock.GetUtcNow())));
    }
}
