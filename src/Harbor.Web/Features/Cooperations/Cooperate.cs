using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Cooperations;

public sealed record ProposeBody(Guid? CustomerId, Guid? PartnerId, int? SharePercent);

public sealed record CooperationState(Guid Id, CooperationStatus Status, Guid CustomerId, Guid PartnerId, int SharePercent);

/// <summary>
/// Rule 8: the owner proposes a cooperation with a share of the credit; the owner's group manager
/// (or a director) approves or rejects; the owner or a decider ends it. Everyone involved is told.
/// </summary>
public sealed class Cooperate(HarborDbContext db, WriteGate gate, TimeProvider clock)
{
    public async Task<Result<CooperationState>> ProposeAsync(Viewer viewer, ProposeBody body, CancellationToken ct)
    {
        if (viewer.Role != Role.Salesperson)
            return new Refusal.Forbidden("The owner of the customer proposes a cooperation.");
        if (body.CustomerId is not { } customerId || body.PartnerId is not { } partnerId)
            return new Refusal.ValidationFailed(new Dictionary<string, string[]>
            {
                [body.CustomerId is null ? "customerId" : "partnerId"] = ["Name the customer and the partner."],
            });

        return await db.WriteAsync<CooperationState>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
                return new Refusal.NotFound("customer");
            if (customer.OwnerId != viewer.Id || customer.Status is not (CustomerStatus.Protected or CustomerStatus.Signed))
                return new Refusal.NotYourCustomer(customerId);
            var partner = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == partnerId, ct);
            if (partner is not { Role: Role.Salesperson, IsActive: true })
                return Refusal.ValidationFailed.Of("partnerId", "No active salesperson has this id.");

            var live = await db.Cooperations.Where(c => c.CustomerId == customerId
                && (c.Status == CooperationStatus.Pending || c.Status == CooperationStatus.Approved)).ToListAsync(ct);
            if (live.Any(c => c.PartnerId == partnerId))
                return new Refusal.AlreadyExists("partnerId");
            var proposed = CooperationAgreement.Propose(Guid.CreateVersion7(now), customerId, viewer.Id, viewer.GroupId, partnerId,
                body.SharePercent ?? 0, live.Sum(c => c.SharePercent), now);
            if (!proposed.Succeeded)
                return proposed.Refusal;

            var cooperation = proposed.Value;
            db.Cooperations.Add(cooperation);
            var payload = new { cooperationId = cooperation.Id, customerId, customerName = customer.Name, partner = partner.DisplayName, cooperation.SharePercent };
            var deciders = await db.Users.Where(u => u.Role == Role.Manager && u.IsActive && u.GroupId == viewer.GroupId).Select(u => u.Id).ToListAsync(ct);
            foreach (var decider in deciders)
                db.Notifications.Add(Notify.Create(decider, NotificationKinds.CooperationProposed, payload, now));
            return State(cooperation);
        }, ct);
    }

    public Task<Result<CooperationState>> DecideAsync(Viewer viewer, Guid id, bool approve, string? comment, CancellationToken ct) =>
        ChangeAsync(id, (cooperation, now) => cooperation.Decide(viewer, approve, comment is { Length: > CooperationAgreement.MaxCommentLength }
            ? comment[..CooperationAgreement.MaxCommentLength] : comment, now), ct);

    public Task<Result<CooperationState>> EndAsync(Viewer viewer, Guid id, CancellationToken ct) =>
        ChangeAsync(id, (cooperation, now) => cooperation.End(viewer, now), ct);

    private Task<Result<CooperationState>> ChangeAsync(Guid id, Func<CooperationAgreement, DateTimeOffset, Refusal?> change, CancellationToken ct) =>
        db.WriteAsync<CooperationState>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var cooperation = await db.Cooperations.FirstOrDefaultAsync(c => c.Id == id, ct);
            if (cooperation is null)
                return new Refusal.NotFound("cooperation");
            if (change(cooperation, now) is { } refusal)
                return refusal;
            var name = await db.Customers.Where(c => c.Id == cooperation.CustomerId).Select(c => c.Name).FirstAsync(ct);
            var payload = new { cooperationId = cooperation.Id, customerId = cooperation.CustomerId, customerName = name, status = cooperation.Status, comment = cooperation.Comment };
            foreach (var person in new[] { cooperation.OwnerId, cooperation.PartnerId })
                db.Notifications.Add(Notify.Create(person, NotificationKinds.CooperationDecided, payload, now));
            // The decision (not the end) is mailed to the owner who asked for the registration.
            if (cooperation.DecidedAt == now && cooperation.Status is CooperationStatus.Approved or CooperationStatus.Rejected)
                await Outbox.EnqueueEmailAsync(db, cooperation.OwnerId, NotificationKinds.CooperationDecided, cooperation.Id.ToString("N"),
                    culture => Messages.CooperationDecided(culture, name, cooperation.Status == CooperationStatus.Approved, cooperation.Comment), now, ct);
            return State(cooperation);
        }, ct);

    private static CooperationState State(CooperationAgreement c) => new(c.Id, c.Status, c.CustomerId, c.PartnerId, c.SharePercent);
}
