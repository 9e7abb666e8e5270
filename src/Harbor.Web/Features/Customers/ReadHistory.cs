using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Extensions;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record PersonRef(Guid Id, string DisplayName);

/// <summary>One line of a history; <c>CustomerId</c> says whose, since a kept customer shows those merged into it (issue 6).</summary>
public sealed record HistoryEvent(long Id, DateTimeOffset At, CustomerEventKind Kind, PersonRef? Actor, PersonRef? Salesperson, string? Reason,
    Guid? CustomerId = null);

public sealed record HistoryFollowUp(Guid Id, DateTimeOffset At, string Stage, string? Note, PersonRef? Author);

public sealed record HistoryOrder(Guid Id, DateTimeOffset SubmittedAt, decimal Amount, string Currency, bool Credited, string? Reason, PersonRef? Salesperson);

public sealed record HistoryExtension(Guid Id, DateTimeOffset RequestedAt, int Days, string Reason, ExtensionStatus Status, Role ApproverRole,
    DateTimeOffset? DecidedAt, PersonRef? Salesperson, PersonRef? Decider, string? Comment);

/// <summary>A customer merged into this one: its history is part of this one's.</summary>
public sealed record MergedCustomerRef(Guid Id, string Name);

public sealed record HistoryCooperation(Guid Id, DateTimeOffset ProposedAt, PersonRef? Owner, PersonRef? Partner, int SharePercent, CooperationStatus Status,
    DateTimeOffset? DecidedAt, PersonRef? Decider, string? Comment, DateTimeOffset? EndedAt);

public sealed record HistoryResponse(Guid CustomerId, string Name, IReadOnlyList<HistoryEvent> Events, IReadOnlyList<HistoryFollowUp> FollowUps,
    IReadOnlyList<HistoryOrder> Orders, IReadOnlyList<HistoryExtension> Extensions, IReadOnlyList<HistoryCooperation> Cooperations,
    IReadOnlyList<MergedCustomerRef>? Merged = null);

/// <summary>
/// A customer's whole history, oldest first, for whoever may read the customer: ownership events,
/// follow-ups, orders, extension requests (rule 6) and cooperations (rule 8).
/// </summary>
public sealed class ReadHistory(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<HistoryResponse>> HandleAsync(Viewer viewer, Guid customerId, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.Id, c.Name, c.OwnerId, c.MergedIntoId }).FirstOrDefaultAsync(ct);
        if (customer is null)
            return new Refusal.NotFound("customer");
        // Issue 6: a merged-away id reads the kept customer's history, which holds both.
        if (customer.MergedIntoId is { } keptId)
            customer = await db.Customers.AsNoTracking().Where(c => c.Id == keptId)
                .Select(c => new { c.Id, c.Name, c.OwnerId, c.MergedIntoId }).FirstOrDefaultAsync(ct) ?? customer;
        customerId = customer.Id;
        var ownerGroup = customer.OwnerId is { } owner
            ? await db.Users.AsNoTracking().Where(u => u.Id == owner).Select(u => u.GroupId).FirstOrDefaultAsync(ct)
            : null;
        if (!CustomerAccess.CanRead(viewer, customer.OwnerId, ownerGroup, await Cooperators.IsCooperatorAsync(db, viewer, customerId, ct)))
            return viewer.Role == Role.Salesperson
                ? new Refusal.NotYourCustomer(customerId)
                : new Refusal.Forbidden("You may not read this customer.");

        var merged = await db.Customers.AsNoTracking().Where(c => c.MergedIntoId == customerId)
            .OrderBy(c => c.Name).Select(c => new MergedCustomerRef(c.Id, c.Name)).ToListAsync(ct);
        var ids = merged.Select(m => m.Id).Append(customerId).ToList();
        var events = await db.CustomerEvents.AsNoTracking().Where(e => ids.Contains(e.CustomerId))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var followUps = await db.FollowUps.AsNoTracking().Where(f => ids.Contains(f.CustomerId)).OrderBy(f => f.At).ToListAsync(ct);
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.CustomerId)).OrderBy(o => o.SubmittedAt).ToListAsync(ct);
        var extensions = await db.Extensions.AsNoTracking().Where(e => ids.Contains(e.CustomerId)).OrderBy(e => e.RequestedAt).ToListAsync(ct);
        var cooperations = await db.Cooperations.AsNoTracking().Where(c => ids.Contains(c.CustomerId)).OrderBy(c => c.ProposedAt).ToListAsync(ct);
        var names = await People.NamesAsync(db, events.SelectMany(e => new[] { e.ActorId, e.SalespersonId })
            .Concat(followUps.Select(f => (Guid?)f.AuthorId)).Concat(orders.Select(o => (Guid?)o.SalespersonId))
            .Concat(extensions.SelectMany(e => new[] { (Guid?)e.SalespersonId, e.DeciderId }))
            .Concat(cooperations.SelectMany(c => new[] { (Guid?)c.OwnerId, c.PartnerId, c.DeciderId })), ct);
        DateTimeOffset? Local(DateTimeOffset? at) => at is { } instant ? calendar.ToLocal(instant) : null;
        return new HistoryResponse(customer.Id, customer.Name,
            events.Select(e => new HistoryEvent(e.Id, calendar.ToLocal(e.At), e.Kind, People.Ref(names, e.ActorId), People.Ref(names, e.SalespersonId), e.Reason,
                e.CustomerId)).ToList(),
            followUps.Select(f => new HistoryFollowUp(f.Id, calendar.ToLocal(f.At), f.Stage, f.Note, People.Ref(names, f.AuthorId))).ToList(),
            orders.Select(o => new HistoryOrder(o.Id, calendar.ToLocal(o.SubmittedAt), o.Amount, o.Currency, o.Credited, o.Reason, People.Ref(names, o.SalespersonId))).ToList(),
            extensions.Select(e => new HistoryExtension(e.Id, calendar.ToLocal(e.RequestedAt), e.Days, e.Reason, e.Status, e.ApproverRole, Local(e.DecidedAt),
                People.Ref(names, e.SalespersonId), People.Ref(names, e.DeciderId), e.Comment)).ToList(),
            cooperations.Select(c => new HistoryCooperation(c.Id, calendar.ToLocal(c.ProposedAt), People.Ref(names, c.OwnerId), People.Ref(names, c.PartnerId),
                c.SharePercent, c.Status, Local(c.DecidedAt), People.Ref(names, c.DeciderId), c.Comment, Local(c.EndedAt))).ToList(),
            merged);
    }
}

public static class People
{
    public static async Task<Dictionary<Guid, string>> NamesAsync(HarborDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    public static PersonRef? Ref(Dictionary<Guid, string> names, Guid? id) =>
        id is { } known && names.TryGetValue(known, out var name) ? new PersonRef(known, name) : null;
}
