using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Approvals;

public enum ApprovalKind
{
    Extension,
    Cooperation,
}

/// <summary>
/// One item waiting for a decision, with what the decision needs. <see cref="Days"/>,
/// <see cref="Reason"/> and <see cref="ApproverRole"/> belong to extensions (rule 6);
/// <see cref="Partner"/> and <see cref="SharePercent"/> to cooperations (rule 8).
/// </summary>
public sealed record ApprovalItem(ApprovalKind Kind, Guid Id, Guid CustomerId, string CustomerName, PersonRef Salesperson, string? Group,
    DateTimeOffset RequestedAt, DateOnly? DueOn, int? DaysLeft, string? Stage, int SalespersonExtensionsThisMonth,
    int? Days, string? Reason, Role? ApproverRole, PersonRef? Partner, int? SharePercent, bool TooLate, bool CanDecide);

public sealed record ApprovalInbox(IReadOnlyList<ApprovalItem> Items);

/// <summary>
/// The approvals inbox of a manager or director: pending extension requests (rule 6) and
/// cooperation proposals (rule 8) they may see, newest first. A request whose customer fell due
/// while it waited is shown as too late (the release went ahead; it can no longer be approved),
/// for a few days, so the approver learns why it went away.
/// </summary>
public sealed class ApprovalsInbox(HarborDbContext db, TimeProvider clock, CompanyCalendar calendar)
{
    public const int MaxItems = 300;

    /// <summary>How long a request that came too late stays in the inbox, marked so.</summary>
    public static readonly TimeSpan TooLateShownFor = TimeSpan.FromDays(3);

    public async Task<Result<ApprovalInbox>> HandleAsync(Viewer viewer, CancellationToken ct)
    {
        if (viewer.Role is not (Role.Manager or Role.Director))
            return new Refusal.Forbidden("The approvals inbox is for managers and directors.");
        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var month = new DateOnly(today.Year, today.Month, 1);
        var since = now - TooLateShownFor;

        var extensions = db.Extensions.AsNoTracking()
            .Where(e => e.Status == ExtensionStatus.Pending || (e.Status == ExtensionStatus.TooLate && e.DecidedAt >= since));
        var cooperations = db.Cooperations.AsNoTracking().Where(c => c.Status == CooperationStatus.Pending);
        if (viewer.Role == Role.Manager)
        {
            extensions = extensions.Where(e => e.GroupId != null && e.GroupId == viewer.GroupId);
            cooperations = cooperations.Where(c => c.OwnerGroupId != null && c.OwnerGroupId == viewer.GroupId);
        }

        var extensionRows = await extensions.OrderByDescending(e => e.RequestedAt).Take(MaxItems)
            .Join(db.Customers, e => e.CustomerId, c => c.Id,
                (e, c) => new { Request = e, c.Name, c.DueOn, c.Stage, c.Status, c.OwnerId, c.ReleaseAt })
            .ToListAsync(ct);
        var cooperationRows = await cooperations.OrderByDescending(c => c.ProposedAt).Take(MaxItems)
            .Join(db.Customers, c => c.CustomerId, k => k.Id, (c, k) => new { Cooperation = c, k.Name, k.DueOn, k.Stage })
            .ToListAsync(ct);

        var salespeople = extensionRows.Select(r => r.Request.SalespersonId).Concat(cooperationRows.Select(r => r.Cooperation.OwnerId)).Distinct().ToList();
        var monthly = await db.Extensions.AsNoTracking()
            .Where(e => salespeople.Contains(e.SalespersonId) && e.Month == month && (e.Status == ExtensionStatus.Pending || e.Status == ExtensionStatus.Approved))
            .GroupBy(e => e.SalespersonId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var named = salespeople.Concat(cooperationRows.Select(r => r.Cooperation.PartnerId)).Distinct().ToList();
        var people = await db.Users.AsNoTracking()
            .Where(u => named.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, Group = u.Group == null ? null : u.Group.Name })
            .ToDictionaryAsync(u => u.Id, ct);
        PersonRef Person(Guid id) => new(id, people.TryGetValue(id, out var p) ? p.DisplayName : "?");
        string? GroupOf(Guid id) => people.TryGetValue(id, out var p) ? p.Group : null;
        int? DaysLeft(DateOnly? due) => due is { } d ? d.DayNumber - today.DayNumber : null;

        var items = new List<ApprovalItem>();
        foreach (var r in extensionRows)
        {
            var request = r.Request;
            // Rule 6: a pending request does not stop the release; once the customer is due or
            // gone it can only be seen, not approved (DecideExtension refuses with too-late).
            var tooLate = request.Status == ExtensionStatus.TooLate
                || r.Status != CustomerStatus.Protected || r.OwnerId != request.SalespersonId || r.ReleaseAt <= now;
            items.Add(new ApprovalItem(ApprovalKind.Extension, request.Id, request.CustomerId, r.Name, Person(request.SalespersonId),
                GroupOf(request.SalespersonId), calendar.ToLocal(request.RequestedAt), r.DueOn, DaysLeft(r.DueOn), r.Stage,
                monthly.GetValueOrDefault(request.SalespersonId), request.Days, request.Reason, request.ApproverRole, null, null,
                tooLate, !tooLate && request.CheckDecider(viewer) is null));
        }

        foreach (var r in cooperationRows)
        {
            var cooperation = r.Cooperation;
            items.Add(new ApprovalItem(ApprovalKind.Cooperation, cooperation.Id, cooperation.CustomerId, r.Name, Person(cooperation.OwnerId),
                GroupOf(cooperation.OwnerId), calendar.ToLocal(cooperation.ProposedAt), r.DueOn, DaysLeft(r.DueOn), r.Stage,
                monthly.GetValueOrDefault(cooperation.OwnerId), null, null, null, Person(cooperation.PartnerId), cooperation.SharePercent,
                false, cooperation.CheckDecider(viewer) is null));
        }

        return new ApprovalInbox([.. items.OrderByDescending(i => i.RequestedAt).ThenBy(i => i.Id)]);
    }
}
