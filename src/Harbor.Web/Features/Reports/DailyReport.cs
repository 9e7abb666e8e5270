using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Reports;

public sealed record DailySalesperson(Guid SalespersonId, string DisplayName, string? Group,
    int Registered, int Claimed, int Released, int Expired, int Signed, int Extended, int Active);

public sealed record DueCustomer(Guid CustomerId, string Name, Guid SalespersonId, string DisplayName, DateOnly DueOn);

public sealed record PublishedCustomer(Guid CustomerId, string Name, DateTimeOffset PublishedAt);

public sealed record DailyReportResponse(DateOnly Date, IReadOnlyList<DailySalesperson> Salespeople,
    IReadOnlyList<DueCustomer> DueTomorrow, IReadOnlyList<PublishedCustomer> PublishedToday, int PublishedTodayCount);

/// <summary>
/// Rule 4: the clerk's daily change report — per salesperson what was registered, claimed, given
/// up, expired, signed and extended on a local day, and how many protections were active at its
/// end; plus what falls due tomorrow and what was published that day. Counted from the
/// append-only history, so any past day can be reported.
/// </summary>
public sealed class DailyReport(HarborDbContext db, CompanyCalendar calendar)
{
    public const int MaxListed = 1000;

    public async Task<Result<DailyReportResponse>> HandleAsync(Viewer viewer, DateOnly date, CancellationToken ct)
    {
        if (viewer.Role is not (Role.Clerk or Role.Manager or Role.Director))
            return new Refusal.Forbidden("The daily report is for the clerk, managers and directors.");
        var start = calendar.At(date, TimeOnly.MinValue);
        var end = calendar.At(date.AddDays(1), TimeOnly.MinValue);

        var people = db.Users.AsNoTracking().Where(u => u.Role == Role.Salesperson);
        if (viewer.Role == Role.Manager)
            people = people.Where(u => u.GroupId == viewer.GroupId);
        var salespeople = await people.OrderBy(u => u.Group!.Name).ThenBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, Group = u.Group!.Name, u.IsActive }).ToListAsync(ct);
        var ids = salespeople.Select(s => s.Id).ToList();

        var counts = await db.CustomerEvents.AsNoTracking()
            .Where(e => e.SalespersonId != null && ids.Contains(e.SalespersonId.Value) && e.At < end)
            .GroupBy(e => new { e.SalespersonId, e.Kind, Today = e.At >= start })
            .Select(g => new { g.Key.SalespersonId, g.Key.Kind, g.Key.Today, Count = g.Count() })
            .ToListAsync(ct);

        int Count(Guid id, CustomerEventKind kind) => counts.Where(c => c.SalespersonId == id && c.Kind == kind && c.Today).Sum(c => c.Count);
        int Active(Guid id) => counts.Where(c => c.SalespersonId == id).Sum(c => c.Kind switch
        {
            CustomerEventKind.Registered or CustomerEventKind.Claimed or CustomerEventKind.Reassigned => c.Count,
            CustomerEventKind.Released or CustomerEventKind.Expired or CustomerEventKind.Signed or CustomerEventKind.HandedOver => -c.Count,
            _ => 0,
        });

        var rows = salespeople
            .Select(s => new DailySalesperson(s.Id, s.DisplayName, s.Group,
                Count(s.Id, CustomerEventKind.Registered), Count(s.Id, CustomerEventKind.Claimed), Count(s.Id, CustomerEventKind.Released),
                Count(s.Id, CustomerEventKind.Expired), Count(s.Id, CustomerEventKind.Signed), Count(s.Id, CustomerEventKind.Extended), Active(s.Id)))
            .Where(r => salespeople.First(s => s.Id == r.SalespersonId).IsActive || r.Active > 0 || counts.Any(c => c.SalespersonId == r.SalespersonId && c.Today))
            .ToList();

        var tomorrow = date.AddDays(1);
        var due = await db.Customers.AsNoTracking()
            .Where(c => c.Status == CustomerStatus.Protected && c.DueOn == tomorrow && c.OwnerId != null && ids.Contains(c.OwnerId.Value))
            .Join(db.Users, c => c.OwnerId!.Value, u => u.Id, (c, u) => new { c.Id, c.Name, OwnerId = u.Id, u.DisplayName })
            .OrderBy(d => d.DisplayName).ThenBy(d => d.Name)
            .Take(MaxListed)
            .ToListAsync(ct);

        var publishedEvents = db.CustomerEvents.AsNoTracking()
            .Where(e => e.Kind == CustomerEventKind.Published && e.At >= start && e.At < end);
        var publishedCount = await publishedEvents.CountAsync(ct);
        var published = await publishedEvents
            .Join(db.Customers, e => e.CustomerId, c => c.Id, (e, c) => new { c.Id, c.Name, e.At })
            .OrderBy(p => p.At).ThenBy(p => p.Name)
            .Take(MaxListed)
            .ToListAsync(ct);

        return new DailyReportResponse(date, rows, due.Select(d => new DueCustomer(d.Id, d.Name, d.OwnerId, d.DisplayName, tomorrow)).ToList(),
            published.Select(p => new PublishedCustomer(p.Id, p.Name, calendar.ToLocal(p.At))).ToList(), publishedCount);
    }
}
