using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Reports;

public sealed record FunnelStage(string Stage, int Customers, double? Conversion);

public sealed record FunnelResponse(DateOnly From, DateOnly To, IReadOnlyList<FunnelStage> Stages);

/// <summary>
/// Rule 7's funnel: how many customers reached each stage in a period (a customer that reached a
/// later stage counts for every earlier one, since stages may be skipped) and the conversion
/// from each stage to the next, for the follow-ups of the salespeople in scope.
/// </summary>
public sealed class FunnelReport(HarborDbContext db, PolicySettings policy, CompanyCalendar calendar)
{
    public async Task<Result<FunnelResponse>> HandleAsync(Viewer viewer, ReportPeriod period, Guid? groupId, Guid? salespersonId, CancellationToken ct)
    {
        var people = await ReportScope.SalespeopleAsync(db, viewer, groupId, salespersonId, ct);
        if (!people.Succeeded)
            return people.Refusal;
        var ids = people.Value.Select(p => p.Id).ToList();
        var start = calendar.At(period.From, TimeOnly.MinValue);
        var end = calendar.At(period.To.AddDays(1), TimeOnly.MinValue);

        var reached = await db.FollowUps.AsNoTracking()
            .Where(f => f.At >= start && f.At < end && ids.Contains(f.AuthorId))
            .Select(f => new { f.CustomerId, f.Stage }).Distinct().ToListAsync(ct);
        var furthest = reached.GroupBy(r => r.CustomerId)
            .Select(g => g.Max(r => IndexOf(r.Stage)))
            .Where(i => i >= 0).ToList();

        var stages = new List<FunnelStage>();
        for (var k = 0; k < policy.Stages.Count; k++)
        {
            var customers = furthest.Count(i => i >= k);
            double? conversion = k == 0 || stages[k - 1].Customers == 0 ? null : Math.Round((double)customers / stages[k - 1].Customers, 4);
            stages.Add(new FunnelStage(policy.Stages[k], customers, conversion));
        }

        return new FunnelResponse(period.From, period.To, stages);
    }

    private int IndexOf(string stage)
    {
        for (var i = 0; i < policy.Stages.Count; i++)
            if (policy.Stages[i] == stage)
                return i;
        return -1;
    }
}
