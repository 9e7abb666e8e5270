using Harbor.Domain.Customers;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Orders;

public sealed record CreditShare(Guid SalespersonId, decimal Amount);

/// <summary>The decision stored with an order, never recomputed from later state.</summary>
public sealed record CreditDecision(bool Credited, IReadOnlyList<CreditShare> Credits, string? Reason)
{
    public const string NotInSheet = "not-in-sheet";
}

public sealed record Cooperator(Guid SalespersonId, int SharePercent);

/// <summary>
/// Rule 9 (业绩以总表为准): when an order is submitted, the master is checked at that instant. If
/// the salesperson holds the customer (protected, or signed to them) or cooperates on it under an
/// approved cooperation, the order earns credit, split by the cooperation shares (the owner keeps
/// the rest); otherwise it is recorded with no credit and the reason.
/// </summary>
public static class Credit
{
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static Refusal? ValidateAmount(decimal amount) =>
        amount <= 0 || amount > MaxAmount || decimal.Round(amount, 2) != amount
            ? Refusal.ValidationFailed.Of("amount", "An amount is positive, in yuan with at most two decimals.")
            : null;

    public static CreditDecision Decide(Guid salespersonId, Guid? ownerId, CustomerStatus status, IReadOnlyList<Cooperator> approved, decimal amount)
    {
        var held = ownerId is { } owner && status is CustomerStatus.Protected or CustomerStatus.Signed;
        var inSheet = held && (ownerId == salespersonId || approved.Any(c => c.SalespersonId == salespersonId));
        if (!inSheet)
            return new CreditDecision(false, [], CreditDecision.NotInSheet);

        var credits = new List<CreditShare>();
        foreach (var partner in approved)
            credits.Add(new CreditShare(partner.SalespersonId, decimal.Round(amount * partner.SharePercent / 100m, 2, MidpointRounding.AwayFromZero)));
        // The owner keeps the rest, so the shares always add up to the amount exactly.
        credits.Insert(0, new CreditShare(ownerId!.Value, amount - credits.Sum(c => c.Amount)));
        return new CreditDecision(true, credits, null);
    }
}
