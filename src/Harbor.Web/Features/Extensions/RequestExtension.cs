using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Extensions;

public sealed record ExtensionRequestBody(Guid? CustomerId, int? Days, string? Reason);

public sealed record ExtensionCreated(Guid Id, ExtensionStatus Status, Role ApproverRole, Guid CustomerId, int Days);

/// <summary>Rule 6: the owner asks for more days on a protected customer, with a reason.</summary>
public sealed class RequestExtension(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    public async Task<Result<ExtensionCreated>> HandleAsync(Viewer viewer, ExtensionRequestBody body, CancellationToken ct)
    {
        if (viewer.Role != Role.Salesperson)
            return new Refusal.Forbidden("The salesperson who holds the customer asks for an extension.");
        if (body.CustomerId is not { } customerId)
            return Refusal.ValidationFailed.Of("customerId", "Name the customer.");

        return await db.WriteAsync<ExtensionCreated>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            await db.LockSalespersonAsync(viewer.Id, ct);
            var salesperson = await db.Users.FirstAsync(u => u.Id == viewer.Id, ct);
            var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
                return new Refusal.NotFound("customer");
            if (customer.OwnerId != viewer.Id)
                return new Refusal.NotYourCustomer(customerId);
            if (customer.Status != CustomerStatus.Protected)
                return new Refusal.NotProtected(customerId, customer.Status);

            var today = calendar.DayOf(now);
            var month = new DateOnly(today.Year, today.Month, 1);
            var thisMonth = await db.Extensions.CountAsync(e => e.SalespersonId == viewer.Id && e.Month == month
                && (e.Status == ExtensionStatus.Pending || e.Status == ExtensionStatus.Approved), ct);
            var created = ExtensionRequest.Create(Guid.CreateVersion7(now), customerId, viewer.Id, salesperson.GroupId, body.Days ?? 0, body.Reason,
                thisMonth, now, policy, calendar);
            if (!created.Succeeded)
                return created.Refusal;

            // Two requests that both counted this month's requests cannot both commit.
            salesperson.SlotVersion++;
            var request = created.Value;
            db.Extensions.Add(request);
            var deciders = request.ApproverRole == Role.Manager
                ? db.Users.Where(u => u.Role == Role.Manager && u.IsActive && u.GroupId == salesperson.GroupId)
                : db.Users.Where(u => u.Role == Role.Director && u.IsActive);
            var payload = new
            {
                extensionId = request.Id,
                customerId,
                customerName = customer.Name,
                salesperson = salesperson.DisplayName,
                days = request.Days,
                reason = request.Reason,
                dueOn = customer.DueOn,
            };
            foreach (var decider in await deciders.Select(u => u.Id).ToListAsync(ct))
                db.Notifications.Add(Notify.Create(decider, NotificationKinds.ExtensionRequested, payload, now));
            return new ExtensionCreated(request.Id, request.Status, request.ApproverRole, customerId, request.Days);
        }, ct);
    }
}
