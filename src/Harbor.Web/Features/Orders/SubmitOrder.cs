using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Orders;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Orders;

public sealed record OrderBody(Guid? CustomerId, decimal? Amount, Guid? SalespersonId);

public sealed record OrderResult(Guid Id, Guid CustomerId, Guid SalespersonId, decimal Amount, string Currency, bool Credited,
    IReadOnlyList<CreditShare> Credits, string? Reason, CustomerStatus CustomerStatus);

/// <summary>
/// Rule 9 (提单): a salesperson, or the clerk on their behalf, submits an order. The master is
/// checked at that instant and the decision is stored with the order; a credited order signs the
/// customer.
/// </summary>
public sealed class SubmitOrder(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy)
{
    public async Task<Result<OrderResult>> HandleAsync(Viewer viewer, OrderBody body, CancellationToken ct)
    {
        var salespersonId = body.SalespersonId ?? (viewer.IsSalesperson ? viewer.Id : null);
        if (body.CustomerId is not { } customerId)
            return Refusal.ValidationFailed.Of("customerId", "Name the customer.");
        if (body.Amount is not { } amount)
            return Refusal.ValidationFailed.Of("amount", "The amount is required.");
        if (Credit.ValidateAmount(amount) is { } invalid)
            return invalid;
        if (salespersonId is not { } spId)
            return Refusal.ValidationFailed.Of("salespersonId", "Name the salesperson whose order it is.");
        if (!CustomerAccess.CanRegisterFor(viewer, spId))
            return new Refusal.Forbidden("A salesperson submits their own orders; the clerk submits on anyone's behalf.");

        return await db.WriteAsync<OrderResult>(gate, async () =>
        {
            var now = clock.GetUtcNow();
            var salesperson = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == spId, ct);
            if (salesperson is not { Role: Role.Salesperson })
                return Refusal.ValidationFailed.Of("salespersonId", "No salesperson has this id.");
            var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
                return new Refusal.NotFound("customer");
            if (customer.OwnerId is { } owner)
                await db.LockSalespersonAsync(owner, ct);

            var cooperators = await db.Cooperations.AsNoTracking()
                .Where(c => c.CustomerId == customerId && c.Status == CooperationStatus.Approved)
                .Select(c => new Cooperator(c.PartnerId, c.SharePercent)).ToListAsync(ct);
            var decision = Credit.Decide(spId, customer.OwnerId, customer.Status, cooperators, amount);
            var order = new Order(Guid.CreateVersion7(now), customerId, spId, viewer.Id, amount, now, decision);
            db.Orders.Add(order);
            if (decision.Credited)
                customer.Sign(viewer.Id, policy.Stages[^1], now);
            return new OrderResult(order.Id, customerId, spId, amount, order.Currency, decision.Credited, decision.Credits, decision.Reason, customer.Status);
        }, ct);
    }
}
