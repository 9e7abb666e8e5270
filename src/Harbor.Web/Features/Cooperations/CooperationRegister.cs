using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Cooperations;

public sealed record CooperationItem(Guid Id, Guid CustomerId, string CustomerName, PersonRef Owner, PersonRef Partner, int SharePercent,
    CooperationStatus Status, DateTimeOffset ProposedAt, DateTimeOffset? DecidedAt, PersonRef? Decider, string? Comment, DateTimeOffset? EndedAt);

public sealed record CooperationList(IReadOnlyList<CooperationItem> Items);

/// <summary>The cooperation register (合作登记表): managers see their group's, directors and the clerk all.</summary>
public sealed class CooperationRegister(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<CooperationList>> HandleAsync(Viewer viewer, CancellationToken ct)
    {
        if (viewer.Role == Role.Admin)
            return new Refusal.Forbidden("The cooperation register is for sales, managers, directors and the clerk.");
        var query = db.Cooperations.AsNoTracking();
        if (viewer.Role == Role.Salesperson)
            query = query.Where(c => c.OwnerId == viewer.Id || c.PartnerId == viewer.Id);
        else if (viewer.Role == Role.Manager)
            query = query.Where(c => c.OwnerGroupId != null && c.OwnerGroupId == viewer.GroupId);

        var rows = await query.OrderByDescending(c => c.ProposedAt).Take(1000)
            .Join(db.Customers, c => c.CustomerId, k => k.Id, (c, k) => new { Cooperation = c, k.Name })
            .ToListAsync(ct);
        var names = await People.NamesAsync(db, rows.SelectMany(r => new[] { (Guid?)r.Cooperation.OwnerId, r.Cooperation.PartnerId, r.Cooperation.DeciderId }), ct);
        DateTimeOffset? Local(DateTimeOffset? at) => at is { } instant ? calendar.ToLocal(instant) : null;
        return new CooperationList(rows.Select(r => new CooperationItem(
            r.Cooperation.Id, r.Cooperation.CustomerId, r.Name, People.Ref(names, r.Cooperation.OwnerId)!, People.Ref(names, r.Cooperation.PartnerId)!,
            r.Cooperation.SharePercent, r.Cooperation.Status, calendar.ToLocal(r.Cooperation.ProposedAt), Local(r.Cooperation.DecidedAt),
            People.Ref(names, r.Cooperation.DeciderId), r.Cooperation.Comment, Local(r.Cooperation.EndedAt))).ToList());
    }
}
