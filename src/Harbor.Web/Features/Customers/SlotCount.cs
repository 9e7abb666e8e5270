using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public static class SlotCount
{
    /// <summary>Rule 1: the protections that use a slot (unsigned, held or reserved under review).</summary>
    public static async Task<int> OfAsync(HarborDbContext db, Guid salespersonId, CancellationToken ct) =>
        await db.Customers.CountAsync(c => c.OwnerId == salespersonId
            && (c.Status == CustomerStatus.Protected || c.Status == CustomerStatus.PendingReview), ct)
        + await db.Reviews.CountAsync(r => r.SalespersonId == salespersonId && r.Status == ReviewStatus.Pending, ct);
}
