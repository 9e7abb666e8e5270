using Harbor.Domain.Customers;

namespace Harbor.Domain.Policy;

/// <summary>
/// An expected "no" from a rule. Refusals are values, not exceptions; each one maps to one stable
/// problem+json <c>code</c> at the edge.
/// </summary>
public abstract record Refusal
{
    /// <summary>The stable code clients switch on.</summary>
    public abstract string Code { get; }

    /// <summary>Rule 3: the master registry already has this customer under someone.</summary>
    public sealed record CustomerTaken(Guid CustomerId, CustomerStatus Status, Holder? Holder, DateOnly? DueOn, DateTimeOffset? PublishAt) : Refusal
    {
        public override string Code => "customer-taken";
    }

    /// <summary>The customer is in the public pool: claim it there instead of registering it.</summary>
    public sealed record InPool(Guid CustomerId) : Refusal
    {
        public override string Code => "in-pool";
    }

    /// <summary>Rule 1: every protection slot is in use.</summary>
    public sealed record QuotaFull(int SlotLimit) : Refusal
    {
        public override string Code => "quota-full";
    }

    public sealed record NotYourCustomer(Guid CustomerId) : Refusal
    {
        public override string Code => "not-your-customer";
    }

    /// <summary>Only a protected customer can be given up; a signed one stays with its owner.</summary>
    public sealed record NotProtected(Guid CustomerId, CustomerStatus Status) : Refusal
    {
        public override string Code => "not-protected";
    }

    public sealed record NotFound(string What) : Refusal
    {
        public override string Code => "not-found";
    }

    public sealed record Forbidden(string Reason) : Refusal
    {
        public override string Code => "forbidden";
    }

    public sealed record AlreadyExists(string Field) : Refusal
    {
        public override string Code => "already-exists";
    }

    public sealed record ValidationFailed(IReadOnlyDictionary<string, string[]> Errors) : Refusal
    {
        public override string Code => "validation-failed";

        public static ValidationFailed Of(string field, string message) =>
            new(new Dictionary<string, string[]> { [field] = [message] });
    }

    /// <summary>A salesperson cannot take back what they gave up or lost until the cool-down ends.</summary>
    public sealed record CoolDown(Guid CustomerId, DateTimeOffset Until) : Refusal
    {
        public override string Code => "cool-down";
    }

    /// <summary>Rule 6: one extension request per salesperson per calendar month (pending or approved).</summary>
    public sealed record ExtensionLimit(int PerMonth) : Refusal
    {
        public override string Code => "extension-limit";
    }

    /// <summary>Rule 6: more than the manager's limit of days needs a director.</summary>
    public sealed record RequiresDirector(int Days) : Refusal
    {
        public override string Code => "requires-director";
    }

    /// <summary>Someone decided first (or the request ended otherwise).</summary>
    public sealed record AlreadyDecided(Guid Id, string Status) : Refusal
    {
        public override string Code => "already-decided";
    }

    /// <summary>The extension was still pending when the customer fell due: the release went ahead.</summary>
    public sealed record TooLate(Guid Id) : Refusal
    {
        public override string Code => "too-late";
    }

    /// <summary>Wrong username or password, never saying which.</summary>
    public sealed record InvalidCredentials : Refusal
    {
        public override string Code => "invalid-credentials";
    }

    /// <summary>Too many failed sign-ins in a row: the account is locked for a while.</summary>
    public sealed record LockedOut(DateTimeOffset Until) : Refusal
    {
        public override string Code => "locked-out";
    }

    /// <summary>The simulation clock only moves forward.</summary>
    public sealed record ClockBackward(DateTimeOffset Now) : Refusal
    {
        public override string Code => "clock-backward";
    }

    /// <summary>Someone else claimed (or holds) the customer first.</summary>
    public sealed record AlreadyClaimed(Guid CustomerId) : Refusal
    {
        public override string Code => "already-claimed";
    }

    /// <summary>Given up or expired, but its publication time has not come: nobody can take it yet.</summary>
    public sealed record NotPublished(Guid CustomerId, DateTimeOffset? PublishAt) : Refusal
    {
        public override string Code => "not-published";
    }
}

/// <summary>Who holds a customer, as far as anyone may know: a name and a group, nothing else.</summary>
public sealed record Holder(Guid SalespersonId, string DisplayName, string? Group);
