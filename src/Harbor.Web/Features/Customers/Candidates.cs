using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;

namespace Harbor.Web.Features.Customers;

public static class Candidates
{
    /// <summary>Likely duplicates as the conflict check shows them: status, holder and due date, never contacts.</summary>
    public static async Task<List<CheckMatch>> DescribeAsync(HarborDbContext db, IReadOnlyList<SimilarCustomer> similar, CompanyCalendar calendar, CancellationToken ct)
    {
        var holders = await Conflicts.HoldersAsync(db, similar.Where(s => s.Customer.OwnerId is not null).Select(s => s.Customer.OwnerId!.Value), ct);
        return similar.Select(s =>
        {
            var c = s.Customer;
            var holder = c.OwnerId is { } owner && holders.TryGetValue(owner, out var h) ? new CheckHolder(h.DisplayName, h.Group) : null;
            return new CheckMatch(c.Id, c.Name, c.Status, "similar-name", holder,
                c.Status == CustomerStatus.Protected ? c.DueOn : null, c.PublishAt is { } at ? calendar.ToLocal(at) : null, Math.Round(s.Score, 3));
        }).ToList();
    }
}
