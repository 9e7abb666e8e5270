using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Registrations;

public sealed record CustomerInput(string? Name, string? Phone, string? CreditCode, string? ContactName, string? Address, string? Notes);

public sealed record RegistrationRequest(CustomerInput? Customer, Guid? SalespersonId, Guid? ReleaseCustomerId);

public sealed record ProtectionResponse(Guid SalespersonId, DateOnly StartsOn, DateOnly DueOn);

public sealed record RegistrationResponse(Guid CustomerId, ProtectionResponse Protection, IReadOnlyList<string>? Warnings, ReleasedResponse? Released);

public sealed record ReleasedResponse(Guid CustomerId, DateTimeOffset PublishAt);

/// <summary>Issue 6: a likely duplicate waits for the clerk, its name and slot reserved.</summary>
public sealed record ReviewPending(Guid RegistrationId, CustomerStatus Status, IReadOnlyList<CheckMatch> Candidates, ReleasedResponse? Released);

/// <summary>Either the customer was entered, or the registration waits for the clerk's review.</summary>
public sealed record RegistrationOutcome(RegistrationResponse? Registered, ReviewPending? Pending);

/// <summary>
/// Rule 3 (报备): the master registry is checked first; with no conflict the prospect is entered
/// under the salesperson from today. With every slot in use, the salesperson names one of their
/// own customers to give up, and the release and the registration succeed or fail together.
/// </summary>
public sealed class RegisterProspect(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    public async Task<Result<RegistrationOutcome>> HandleAsync(Viewer viewer, RegistrationRequest request, CancellationToken ct)
    {
        if (request.Customer is null)
            return Refusal.ValidationFailed.Of("customer", "The customer is required.");
        var input = request.Customer;
        var validated = new CustomerDetails(input.Name, input.Phone, input.CreditCode, input.ContactName, input.Address, input.Notes).Validate(LibPhoneNumberParser.Keys);
        if (!validated.Succeeded)
            return validated.Refusal;
        var details = validated.Value;

        var salespersonId = request.SalespersonId ?? (viewer.IsSalesperson ? viewer.Id : null);
        if (salespersonId is not { } spId)
            return Refusal.ValidationFailed.Of("salespersonId", "Name the salesperson the customer is registered for.");
        if (!CustomerAccess.CanRegisterFor(viewer, spId))
            return new Refusal.Forbidden("A salesperson registers prospects for themselves only.");

        return await db.WriteAsync<RegistrationOutcome>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var salesperson = await db.Users.FirstOrDefaultAsync(u => u.Id == spId, ct);
            if (salesperson is not { Role: Role.Salesperson, IsActive: true })
                return Refusal.ValidationFailed.Of("salespersonId", "No active salesperson has this id.");
            await db.LockSalespersonAsync(spId, ct);
            await db.LockKeysAsync([details.NameKey, details.PhoneKey, details.CreditCodeKey], ct);

            var keys = new ConflictKeys(details.NameKey, details.PhoneKey, details.CreditCodeKey);
            var conflict = await Conflicts.RefusalForAsync(db, await Conflicts.FindAsync(db, keys, tracked: false, ct), ct);
            if (conflict is not null)
                return conflict;
            if ((await Conflicts.FindReviewsAsync(db, keys, ct)).FirstOrDefault() is { } reserved)
            {
                var holders = await Conflicts.HoldersAsync(db, [reserved.SalespersonId], ct);
                return new Refusal.CustomerTaken(reserved.Id, CustomerStatus.PendingReview, holders.GetValueOrDefault(reserved.SalespersonId), null, null);
            }

            Customer? givenUp = null;
            if (request.ReleaseCustomerId is { } releaseId)
            {
                givenUp = await db.Customers.FirstOrDefaultAsync(c => c.Id == releaseId, ct);
                if (givenUp is null || givenUp.OwnerId != spId || givenUp.Status != CustomerStatus.Protected)
                    return new Refusal.NotYourCustomer(releaseId);
            }

            var slotsUsed = await SlotCount.OfAsync(db, spId, ct);
            if (Slots.CheckFreeSlot(slotsUsed, policy.SlotLimit, givenUp is not null) is { } full)
                return full;

            ReleasedResponse? released = null;
            if (givenUp is not null)
            {
                var publishAt = givenUp.Release(viewer.Id, "given up for a new registration", now, calendar);
                if (!publishAt.Succeeded)
                    return publishAt.Refusal;
                released = new ReleasedResponse(givenUp.Id, calendar.ToLocal(publishAt.Value));
                await OwnershipEnded.ApplyAsync(db, [givenUp.Id], now, ct);
            }

            // The slot count above was read under this token: a concurrent change makes this lose.
            salesperson.SlotVersion++;

            var similar = await SimilarNames.FindAsync(db, CompanyName.Normalize(details.Name), [], ct);
            if (similar.Count > 0)
            {
                var review = RegistrationReview.Create(Guid.CreateVersion7(now), details, spId, viewer.Id, similar.Select(s => s.Customer.Id), now);
                db.Reviews.Add(review);
                return new RegistrationOutcome(null, new ReviewPending(review.Id, CustomerStatus.PendingReview,
                    await Candidates.DescribeAsync(db, similar, calendar, ct), released));
            }

            var term = ProtectionTerm.StartingAt(now, policy, calendar);
            var customer = Customer.Register(Guid.CreateVersion7(now), details, spId, term, viewer.Id, now);
            db.Customers.Add(customer);
            return new RegistrationOutcome(new RegistrationResponse(
                customer.Id,
                new ProtectionResponse(spId, term.StartsOn, term.DueOn),
                details.Warnings.Count > 0 ? details.Warnings : null,
                released), null);
        }, ct);
    }
}
