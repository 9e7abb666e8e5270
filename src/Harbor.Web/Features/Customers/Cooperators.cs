using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public static class Cooperators
{
    /// <summary>Rule 8: whether this salesperson works on the customer under an approved cooperation.</summary>
    public static Task<bool> IsCooperatorAsync(HarborDbContext db, Viewer viewer, Guid customerId, CancellationToken ct) =>
        viewer.Role == Role.Salesperson
            ? db.Cooperations.AnyAsync(c => c.CustomerId == customerId && c.PartnerId == viewer.Id && c.Status == CooperationStatus.Approved, ct)
            : Task.FromResult(false);
}
