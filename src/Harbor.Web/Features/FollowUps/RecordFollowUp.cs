using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.FollowUps;

public sealed record FollowUpBody(string? Stage, string? Note, DateTimeOffset? At);

public sealed record FollowUpRecorded(Guid Id, Guid CustomerId, string Stage, DateTimeOffset At, string? CustomerStage);

/// <summary>
/// Rule 7: the owner, or an approved cooperator, records a contact with the stage it reached.
/// Anyone else is refused without learning anything about the customer.
/// </summary>
public sealed class RecordFollowUp(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    /// <summary>A follow-up may be logged a little after the fact, never for the future.</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public async Task<Result<FollowUpRecorded>> HandleAsync(Viewer viewer, Guid customerId, FollowUpBody body, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (body.Stage is null || !policy.Stages.Contains(body.Stage))
            errors["stage"] = [$"One of: {string.Join(", ", policy.Stages)}."];
        if (body.Note is { Length: > FollowUp.MaxNoteLength })
            errors["note"] = [$"Longer than {FollowUp.MaxNoteLength} characters."];
        if (body.At > now + FutureTolerance)
            errors["at"] = ["A follow-up cannot be in the future."];
        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);

        return await db.WriteAsync<FollowUpRecorded>(gate, async () =>
        {
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
                return new Refusal.NotFound("customer");
            var works = customer.Status is CustomerStatus.Protected or CustomerStatus.Signed
                && (customer.OwnerId == viewer.Id || await Cooperators.IsCooperatorAsync(db, viewer, customerId, ct));
            if (viewer.Role != Role.Salesperson || !works)
                return new Refusal.NotYourCustomer(customerId);

            var at = body.At ?? now;
            var followUp = new FollowUp(Guid.CreateVersion7(now), customerId, viewer.Id, body.Stage!,
                string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(), at, now);
            db.FollowUps.Add(followUp);
            customer.RecordFollowUp(followUp.Stage, at);
            return new FollowUpRecorded(followUp.Id, customerId, followUp.Stage, calendar.ToLocal(at), customer.Stage);
        }, ct);
    }
}
