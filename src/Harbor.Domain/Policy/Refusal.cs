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

    /// <summary>The customer was merged into another (issue 6): act on that one.</summary>
    public sealed record CustomerMerged(Guid CustomerId, Guid? IntoCustomerId) : Refusal
    {
        public override string Code => "customer-merged";
    }

    /// <summary>
    /// A merge never moves or ends a protection: the customer merged away is held by someone other than the
    /// kept customer's owner. Rule 3 gives the company to whoever registered it first; the clerk settles that
    /// with a release or a handover, then merges.
    /// </summary>
    public sealed record MergeOwnersDiffer(Guid CustomerId, Guid? OwnerId, Guid IntoCustomerId, Guid? IntoOwnerId) : Refusal
    {
        public override string Code => "merge-owners-differ";
    }

    /// <summary>The customer merged away is signed and the kept one is not: keep the signed one (merge the other way).</summary>
    public sealed record MergeSignedAway(Guid CustomerId, Guid IntoCustomerId) : Refusal
    {
        public override string Code => "merge-signed-away";
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

    /// <summary>An uploaded file Harbor cannot use: not a workbook, empty, merged cells, wrong types...</summary>
    public sealed record UnreadableFile(string Problem, string Message, IReadOnlyList<string>? Details = null) : Refusal
    {
        public override string Code => Problem;
    }

    /// <summary>An upload beyond a size, entry or row limit; the limit is a setting.</summary>
    public sealed record TooLarge(string Problem, string Message, long Limit) : Refusal
    {
        public override string Code => Problem;
    }
}

/// <summary>Who holds a customer, as far as anyone may know: a name and a group, nothing else.</summary>
public sealed record Holder(Guid SalespersonId, string DisplayName, string? Group);
