using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Audit;

public sealed record AuditQuery(Guid? ActorId, string? Action, Guid? CustomerId, DateOnly? From, DateOnly? To, int Limit);

public sealed record AuditItem(string Source, DateTimeOffset At, string Action, PersonRef? Actor, Guid? CustomerId, string? CustomerName,
    PersonRef? Salesperson, Guid? SubjectId, string? Details);

public sealed record AuditResponse(IReadOnlyList<AuditItem> Items);

/// <summary>
/// The audit trail, searched by who, what, customer and period: changes of ownership (the
/// customers' histories) and everything else (sign-ins, accounts, settings, exports), newest first.
/// </summary>
public sealed class SearchAudit(HarborDbContext db, CompanyCalendar calendar)
{
    public const int MaxLimit = 500;

    public async Task<Result<AuditResponse>> HandleAsync(Viewer viewer, AuditQuery query, CancellationToken ct)
    {
        if (viewer.Role is not (Role.Clerk or Role.Director or Role.Admin))
            return new Refusal.Forbidden("The audit trail is for the clerk, directors and the admin.");
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        DateTimeOffset? from = query.From is { } f ? calendar.At(f, TimeOnly.MinValue) : null;
        DateTimeOffset? to = query.To is { } t ? calendar.At(t.AddDays(1), TimeOnly.MinValue) : null;
        var action = string.IsNullOrWhiteSpace(query.Action) ? null : query.Action.Trim().ToLowerInvariant();
        CustomerEventKind? kind = action is not null && Enum.TryParse<CustomerEventKind>(action.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var k) ? k : null;

        var items = new List<AuditItem>();
        if (action is null || kind is not null)
        {
            var events = db.CustomerEvents.AsNoTracking();
            if (query.ActorId is { } actor)
                events = events.Where(e => e.ActorId == actor);
            if (kind is { } only)
                events = events.Where(e => e.Kind == only);
            if (query.CustomerId is { } customer)
                events = events.Where(e => e.CustomerId == customer);
            if (from is { } lo)
                events = events.Where(e => e.At >= lo);
            if (to is { } hi)
                events = events.Where(e => e.At < hi);
            var rows = await events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(limit)
                .Join(db.Customers, e => e.CustomerId, c => c.Id, (e, c) => new { Event = e, c.Name })
                .ToListAsync(ct);
            var names = await People.NamesAsync(db, rows.SelectMany(r => new[] { r.Event.ActorId, r.Event.SalespersonId }), ct);
            items.AddRange(rows.Select(r => new AuditItem("customer", calendar.ToLocal(r.Event.At),
                JsonNamingPolicy.KebabCaseLower.ConvertName(r.Event.Kind.ToString()), People.Ref(names, r.Event.ActorId),
                r.Event.CustomerId, r.Name, People.Ref(names, r.Event.SalespersonId), null, r.Event.Reason)));
        }

        if (kind is null && query.CustomerId is null)
        {
            var entries = db.AuditEntries.AsNoTracking();
            if (query.ActorId is { } actor)
                entries = entries.Where(e => e.ActorId == actor);
            if (action is not null)
                entries = entries.Where(e => e.Action == action);
            if (from is { } lo)
                entries = entries.Where(e => e.At >= lo);
            if (to is { } hi)
                entries = entries.Where(e => e.At < hi);
            var rows = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(limit).ToListAsync(ct);
            var names = await People.NamesAsync(db, rows.SelectMany(r => new[] { r.ActorId, r.SubjectId }), ct);
            items.AddRange(rows.Select(r => new AuditItem("account", calendar.ToLocal(r.At), r.Action, People.Ref(names, r.ActorId),
                null, null, null, r.SubjectId, r.Details)));
        }

        return new AuditResponse(items.OrderByDescending(i => i.At).Take(limit).ToList());
    }
}
