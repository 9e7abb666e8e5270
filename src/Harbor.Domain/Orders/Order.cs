namespace Harbor.Domain.Orders;

/// <summary>An order submitted for a customer (提单), with the credit decision made at that instant.</summary>
public sealed class Order
{
    public const string DefaultCurrency = "CNY";
    private readonly List<OrderCredit> _credits = [];

    private Order()
    {
        Currency = DefaultCurrency;
    }

    public Order(Guid id, Guid customerId, Guid salespersonId, Guid submittedById, decimal amount, DateTimeOffset submittedAt, CreditDecision decision)
    {
        Id = id;
        CustomerId = customerId;
        SalespersonId = salespersonId;
        SubmittedById = submittedById;
        Amount = amount;
        Currency = DefaultCurrency;
        SubmittedAt = submittedAt;
        Credited = decision.Credited;
        Reason = decision.Reason;
        _credits.AddRange(decision.Credits.Select(c => new OrderCredit(id, c.SalespersonId, c.Amount)));
    }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }

    /// <summary>Whose order it is; the clerk may submit it on their behalf.</summary>
    public Guid SalespersonId { get; private set; }

    public Guid SubmittedById { get; private set; }
    public decimal Amount { get; private set; }
    public string Currency { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
    public bool Credited { get; private set; }
    public string? Reason { get; private set; }
    public IReadOnlyCollection<OrderCredit> Credits => _credits.AsReadOnly();
}

public sealed class OrderCredit
{
    private OrderCredit()
    {
    }

    public OrderCredit(Guid orderId, Guid salespersonId, decimal amount)
    {
        OrderId = orderId;
        SalespersonId = salespersonId;
        Amount = amount;
    }

    public long Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid SalespersonId { get; private set; }
    public decimal Amount { get; private set; }
}
