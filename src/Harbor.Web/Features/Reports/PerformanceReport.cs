using System.Globalization;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Reports;

public sealed record UncreditedOrder(Guid OrderId, Guid CustomerId, string CustomerName, decimal Amount, string? Reason, DateTimeOffset SubmittedAt);

public sealed record MonthFigures(string Month, decimal CreditedAmount, int Orders);

public sealed record SalespersonPerformance(Guid SalespersonId, string DisplayName, Guid? GroupId, string? Group, decimal CreditedAmount, int Orders,
    IReadOnlyList<MonthFigures> ByMonth, IReadOnlyList<UncreditedOrder> UncreditedOrders);

public sealed record GroupPerformance(Guid? GroupId, string? Group, decimal CreditedAmount, int Orders);

public sealed record PerformanceResponse(DateOnly From, DateOnly To, IReadOnlyList<SalespersonPerformance> Salespeople, IReadOnlyList<GroupPerformance> Groups);

/// <summary>
/// Rule 9's performance: credited amounts and orders per salesperson, group and month, as decided
/// when each order was submitted; the uncredited orders listed with the reason.
/// </summary>
public sealed class PerformanceReport(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<PerformanceResponse>> HandleAsync(Viewer viewer, ReportPeriod period, Guid? groupId, CancellationToken ct)
    {
        var people = await ReportScope.SalespeopleAsync(db, viewer, groupId, null, ct);
        if (!people.Succeeded)
            return people.Refusal;
        var ids = people.Value.Select(p => p.Id).ToList();
        var start = calendar.At(period.From, TimeOnly.MinValue);
        var end = calendar.At(period.To.AddDays(1), TimeOnly.MinValue);

        var credits = await db.OrderCredits.AsNoTracking()
            .Where(c => ids.Contains(c.SalespersonId))
            .Join(db.Orders.Where(o => o.Credited && o.SubmittedAt >= start && o.SubmittedAt < end), c => c.OrderId, o => o.Id,
                (c, o) => new { c.SalespersonId, c.Amount, o.SubmittedAt })
            .ToListAsync(ct);
        var uncredited = await db.Orders.AsNoTracking()
            .Where(o => !o.Credited && o.SubmittedAt >= start && o.SubmittedAt < end && ids.Contains(o.SalespersonId))
            .Join(db.Customers, o => o.CustomerId, c => c.Id, (o, c) => new { o.Id, o.SalespersonId, o.CustomerId, c.Name, o.Amount, o.Reason, o.SubmittedAt })
            .ToListAsync(ct);

        string Month(DateTimeOffset at) => calendar.ToLocal(at).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var rows = people.Value.Select(p =>
        {
            var mine = credits.Where(c => c.SalespersonId == p.Id).ToList();
            return new SalespersonPerformance(p.Id, p.DisplayName, p.GroupId, p.Group, mine.Sum(c => c.Amount), mine.Count,
                mine.GroupBy(c => Month(c.SubmittedAt)).OrderBy(g => g.Key).Select(g => new MonthFigures(g.Key, g.Sum(c => c.Amount), g.Count())).ToList(),
                uncredited.Where(o => o.SalespersonId == p.Id).OrderBy(o => o.SubmittedAt)
                    .Select(o => new UncreditedOrder(o.Id, o.CustomerId, o.Name, o.Amount, o.Reason, calendar.ToLocal(o.SubmittedAt))).ToList());
        }).ToList();
        var groups = rows.GroupBy(r => (r.GroupId, r.Group))
            .Select(g => new GroupPerformance(g.Key.GroupId, g.Key.Group, g.Sum(r => r.CreditedAmount), g.Sum(r => r.Orders)))
            .OrderByDescending(g => g.CreditedAmount).ToList();
        return new PerformanceResponse(period.From, period.To, rows, groups);
    }
}
