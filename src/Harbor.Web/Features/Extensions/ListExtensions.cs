using Harbor.Domain.Access;
using Harbor.Domain.Extensions;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Extensions;

public sealed record ExtensionItem(Guid Id, Guid CustomerId, string CustomerName, PersonRef Salesperson, int Days, string Reason,
    ExtensionStatus Status, Role ApproverRole, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, PersonRef? Decider, string? Comment,
    DateOnly? DueOn, int? DaysLeft, string? Stage, int SalespersonRequestsThisMonth);

public sealed record ExtensionList(IReadOnlyList<ExtensionItem> Items);

/// <summary>
/// The extension requests a person may see, newest first, with what a decision needs: the
/// customer, days left, stage and the salesperson's requests this month.
/// </summary>
public sealed class ListExtensions(HarborDbContext db, TimeProvider clock, CompanyCalendar calendar)
{
    public async Task<Result<ExtensionList>> HandleAsync(Viewer viewer, ExtensionStatus? status, CancellationToken ct)
    {
        if (viewer.Role == Role.Admin)
            return new Refusal.Forbidden("Extensions are for salespeople, managers, directors and the clerk.");
        var query = db.Extensions.AsNoTracking();
        if (viewer.Role == Role.Salesperson)
            query = query.Where(e => e.SalespersonId == viewer.Id);
        else if (viewer.Role == Role.Manager)
            query = query.Where(e => e.GroupId != null && e.GroupId == viewer.GroupId);
        if (status is { } only)
            query = query.Where(e => e.Status == only);

        var rows = await query.OrderByDescending(e => e.RequestedAt).Take(500)
            .Join(db.Customers, e => e.CustomerId, c => c.Id, (e, c) => new { Request = e, c.Name, c.DueOn, c.Stage })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var month = new DateOnly(today.Year, today.Month, 1);
        var people = rows.Select(r => r.Request.SalespersonId).Distinct().ToList();
        var monthly = await db.Extensions.AsNoTracking()
            .Where(e => people.Contains(e.SalespersonId) && e.Month == month && (e.Status == ExtensionStatus.Pending || e.Status == ExtensionStatus.Approved))
            .GroupBy(e => e.SalespersonId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var names = await People.NamesAsync(db, rows.SelectMany(r => new[] { (Guid?)r.Request.SalespersonId, r.Request.DeciderId }), ct);

        return new ExtensionList(rows.Select(r => new ExtensionItem(
            r.Request.Id, r.Request.CustomerId, r.Name, People.Ref(names, r.Request.SalespersonId)!, r.Request.Days, r.Request.Reason,
            r.Request.Status, r.Request.ApproverRole, calendar.ToLocal(r.Request.RequestedAt),
            r.Request.DecidedAt is { } at ? calendar.ToLocal(at) : null, People.Ref(names, r.Request.DeciderId), r.Request.Comment,
            r.DueOn, r.DueOn is { } due ? due.DayNumber - today.DayNumber : null, r.Stage,
            monthly.GetValueOrDefault(r.Request.SalespersonId))).ToList());
    }
}
