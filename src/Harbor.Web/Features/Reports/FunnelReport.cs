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
/// from each stage to the next, for the follow-ups and credited orders of the salespeople in scope.
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
        // A credited order signs the customer (rule 9) without anyone logging a follow-up: it
        // reached the last stage, which by the policy's settings means signed.
        var signedByOrder = await db.Orders.AsNoTracking()
            .Where(o => o.Credited && o.SubmittedAt >= start && o.SubmittedAt < end && ids.Contains(o.SalespersonId))
            .Select(o => o.CustomerId).Distinct().ToListAsync(ct);
        var signed = policy.Stages.Count - 1;
        var furthest = reached.Select(r => (r.CustomerId, Index: IndexOf(r.Stage)))
            .Concat(signedByOrder.Select(id => (CustomerId: id, Index: signed)))
            .GroupBy(r => r.CustomerId)
            .Select(g => g.Max(r => r.Index))
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
