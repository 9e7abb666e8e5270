using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Extensions;

public sealed record DecisionBody(string? Comment);

public sealed record ExtensionDecision(Guid Id, ExtensionStatus Status, Guid CustomerId, DateOnly? DueOn);

/// <summary>
/// Rule 6: a manager of the salesperson's group (up to the manager's limit of days) or a director
/// approves or rejects. Approval moves the due date, the reminder and the release. Of two
/// deciders at the same moment, one wins; the other is told it was already decided.
/// </summary>
public sealed class DecideExtension(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar)
{
    public async Task<Result<ExtensionDecision>> HandleAsync(Viewer viewer, Guid id, bool approve, DecisionBody? body, CancellationToken ct)
    {
        if (body?.Comment is { Length: > ExtensionRequest.MaxReasonLength })
            return Refusal.ValidationFailed.Of("comment", $"Longer than {ExtensionRequest.MaxReasonLength} characters.");

        return await db.WriteAsync<ExtensionDecision>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var request = await db.Extensions.FirstOrDefaultAsync(e => e.Id == id, ct);
            if (request is null)
                return new Refusal.NotFound("extension request");
            if (request.CheckDecider(viewer) is { } notYours)
                return notYours;
            var customer = await db.Customers.FirstAsync(c => c.Id == request.CustomerId, ct);
            // Rule 6 does not stop the release: once the customer is due or gone, it is too late.
            if (approve && request.Status == ExtensionStatus.Pending
                && (customer.Status != CustomerStatus.Protected || customer.OwnerId != request.SalespersonId || customer.ReleaseAt <= now))
                return new Refusal.TooLate(request.Id);
            if (request.Decide(viewer, approve, body?.Comment, now) is { } refusal)
                return refusal;

            DateOnly? dueOn = customer.DueOn;
            if (approve)
            {
                var extended = customer.Extend(request.Days, viewer.Id, $"+{request.Days}: {request.Reason}", now, calendar);
                if (!extended.Succeeded)
                    return extended.Refusal;
                dueOn = extended.Value;
            }

            db.Notifications.Add(Notify.Create(request.SalespersonId, NotificationKinds.ExtensionDecided, new
            {
                extensionId = request.Id,
                customerId = customer.Id,
                customerName = customer.Name,
                approved = approve,
                days = request.Days,
                dueOn,
                comment = request.Comment,
            }, now));
            await Outbox.EnqueueEmailAsync(db, request.SalespersonId, NotificationKinds.ExtensionDecided, request.Id.ToString("N"),
                culture => Messages.ExtensionDecided(culture, customer.Name, approve, request.Days, dueOn, request.Comment), now, ct);
            return new ExtensionDecision(request.Id, request.Status, customer.Id, dueOn);
        }, ct);
    }
}
