namespace Harbor.Domain.Customers;

public enum CustomerEventKind
{
    Registered,
    Released,
    Expired,
    Published,
    Claimed,
    Extended,
    Signed,
    /// <summary>The clerk gave a leaver's customer to someone else: the new owner's gain...</summary>
    Reassigned,

    /// <summary>...and the leaver's loss.</summary>
    HandedOver,
    Merged,
}

/// <summary>
/// One line of a customer's ownership history: who, what, when, why. Append-only: nothing in
/// Harbor updates or deletes it.
/// </summary>
public sealed class CustomerEvent
{
    public const int MaxReasonLength = 500;

    private CustomerEvent()
    {
    }

    public CustomerEvent(Guid customerId, CustomerEventKind kind, DateTimeOffset at, Guid? actorId, Guid? salespersonId, string? reason)
    {
        CustomerId = customerId;
        Kind = kind;
        At = at;
        ActorId = actorId;
        SalespersonId = salespersonId;
        Reason = reason;
    }

    public long Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public CustomerEventKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>Who did it; null for the sweep.</summary>
    public Guid? ActorId { get; private set; }

    /// <summary>Whose protection the event is about.</summary>
    public Guid? SalespersonId { get; private set; }

    public string? Reason { get; private set; }
}
