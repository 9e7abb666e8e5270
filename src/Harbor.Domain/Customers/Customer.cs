using Harbor.Domain.Policy;

namespace Harbor.Domain.Customers;

/// <summary>
/// A customer of the master registry (总库) and its current protection. One row, one owner: the
/// registry cannot hold two protections on one customer, by construction.
/// </summary>
public sealed class Customer
{
    private readonly List<CustomerEvent> _history = [];

    private Customer()
    {
        Name = NameKey = "";
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }

    /// <summary>The normalised name the conflict check matches on exactly (unique in the registry).</summary>
    public string NameKey { get; private set; }

    public string? Phone { get; private set; }
    public string? PhoneKey { get; private set; }
    public string? CreditCode { get; private set; }
    public string? CreditCodeKey { get; private set; }
    public string? ContactName { get; private set; }
    public string? Address { get; private set; }
    public string? Notes { get; private set; }

    public CustomerStatus Status { get; private set; }

    /// <summary>The salesperson holding it (protected, under review or signed); null otherwise.</summary>
    public Guid? OwnerId { get; private set; }

    public DateOnly? StartsOn { get; private set; }
    public DateOnly? DueOn { get; private set; }
    public DateTimeOffset? RemindAt { get; private set; }

    /// <summary>When an unsigned protection ends: the publication time of the due day.</summary>
    public DateTimeOffset? ReleaseAt { get; private set; }

    /// <summary>When a released customer reaches the pool (pending publication).</summary>
    public DateTimeOffset? PublishAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>The due date the owner was last reminded of: one reminder per due date.</summary>
    public DateOnly? RemindedFor { get; private set; }

    /// <summary>The stage of the latest follow-up (rule 7), if any.</summary>
    public string? Stage { get; private set; }

    public DateTimeOffset? LastFollowUpAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The customer this one was merged into (status <see cref="CustomerStatus.Merged"/>); always one hop.</summary>
    public Guid? MergedIntoId { get; private set; }

    /// <summary>Bumped by every change of ownership: a concurrent change loses cleanly.</summary>
    public int Version { get; private set; }

    public IReadOnlyCollection<CustomerEvent> History => _history.AsReadOnly();

    /// <summary>
    /// Rule 3: no conflict, so the prospect is entered under the salesperson from today (or, for
    /// a customer brought in from the master workbook, from its sheet's start date).
    /// </summary>
    public static Customer Register(Guid id, ValidCustomerDetails details, Guid salespersonId, ProtectionTerm term, Guid actorId, DateTimeOffset now,
        string? reason = null)
    {
        var customer = new Customer
        {
            Id = id,
            Name = details.Name,
            NameKey = details.NameKey,
            Phone = details.Phone,
            PhoneKey = details.PhoneKey,
            CreditCode = details.CreditCode,
            CreditCodeKey = details.CreditCodeKey,
            ContactName = details.ContactName,
            Address = details.Address,
            Notes = details.Notes,
            CreatedAt = now,
        };
        customer.Protect(salespersonId, term);
        customer.Record(CustomerEventKind.Registered, now, actorId, salespersonId, reason);
        return customer;
    }

    /// <summary>
    /// The owner (or the clerk for them) gives the customer up. It is not free at once: it waits
    /// for the next publication time, and until then nobody can take it (RULES.md, voluntary release).
    /// </summary>
    public Result<DateTimeOffset> Release(Guid actorId, string? reason, DateTimeOffset now, CompanyCalendar calendar)
    {
        if (Status != CustomerStatus.Protected || OwnerId is null)
            return Status == CustomerStatus.Signed ? new Refusal.NotProtected(Id, Status) : new Refusal.NotYourCustomer(Id);

        var previousOwner = OwnerId;
        var publishAt = calendar.NextPublicationAfter(now);
        ClearProtection();
        Status = CustomerStatus.PendingPublication;
        PublishAt = publishAt;
        Version++;
        Record(CustomerEventKind.Released, now, actorId, previousOwner, reason);
        return publishAt;
    }

    /// <summary>Rule 4: the day before the due day, at the reminder time, the owner is told once.</summary>
    public bool NeedsReminder(DateTimeOffset now) =>
        Status == CustomerStatus.Protected && RemindAt <= now && now < ReleaseAt && RemindedFor != DueOn;

    public void MarkReminded()
    {
        if (Status != CustomerStatus.Protected)
            return;
        RemindedFor = DueOn;
        // Two sweeps that both saw the reminder due cannot both commit it.
        Version++;
    }

    /// <summary>
    /// Rule 2 and rule 4: at the publication time of the due day an unsigned protection ends and
    /// the customer is published to every salesperson. Events carry the policy's instant, so a
    /// sweep that catches up after downtime records what should have happened, when.
    /// </summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (Status != CustomerStatus.Protected || ReleaseAt is not { } releaseAt || releaseAt > now)
            return false;
        var owner = OwnerId;
        ClearProtection();
        Status = CustomerStatus.InPool;
        PublishedAt = releaseAt;
        Version++;
        Record(CustomerEventKind.Expired, releaseAt, null, owner, null);
        Record(CustomerEventKind.Published, releaseAt, null, null, null);
        return true;
    }

    /// <summary>RULES.md, voluntary release: a given-up customer reaches the pool at its publication time.</summary>
    public bool PublishIfDue(DateTimeOffset now)
    {
        if (Status != CustomerStatus.PendingPublication || PublishAt is not { } publishAt || publishAt > now)
            return false;
        Status = CustomerStatus.InPool;
        PublishedAt = publishAt;
        PublishAt = null;
        Version++;
        Record(CustomerEventKind.Published, publishAt, null, null, null);
        return true;
    }

    /// <summary>
    /// Taking a published customer from the pool (领取) starts a fresh protection. The slot and
    /// the cool-down are checked by the caller, who knows the salesperson's other customers.
    /// </summary>
    public Result<ProtectionTerm> Claim(Guid salespersonId, ProtectionTerm term, DateTimeOffset now)
    {
        switch (Status)
        {
            case CustomerStatus.InPool:
                Protect(salespersonId, term);
                Record(CustomerEventKind.Claimed, now, salespersonId, salespersonId, null);
                return term;
            case CustomerStatus.PendingPublication:
                return new Refusal.NotPublished(Id, PublishAt);
            case CustomerStatus.Protected or CustomerStatus.PendingReview or CustomerStatus.Signed:
                return new Refusal.AlreadyClaimed(Id);
            case CustomerStatus.Merged:
                return new Refusal.CustomerMerged(Id, MergedIntoId);
            default:
                throw new InvalidOperationException($"Unknown status {Status}.");
        }
    }

    /// <summary>
    /// Rule 7: the customer's stage is that of its latest follow-up; stages may be skipped or
    /// revisited, so a follow-up recorded late for an earlier moment does not move it back.
    /// </summary>
    public void RecordFollowUp(string stage, DateTimeOffset at)
    {
        if (LastFollowUpAt is { } last && at < last)
            return;
        Stage = stage;
        LastFollowUpAt = at;
    }

    /// <summary>
    /// Rule 9: a credited order signs the customer. It leaves the protection clock for good, frees
    /// its slot, stays with its owner and stays taken for everyone else.
    /// </summary>
    public bool Sign(Guid actorId, string signedStage, DateTimeOffset now)
    {
        if (Status == CustomerStatus.Signed)
            return false;
        if (Status != CustomerStatus.Protected || OwnerId is not { } owner)
            throw new InvalidOperationException("Only a held customer is signed; the credit decision checks that first.");
        Status = CustomerStatus.Signed;
        RemindAt = null;
        ReleaseAt = null;
        Stage = signedStage;
        Version++;
        Record(CustomerEventKind.Signed, now, actorId, owner, null);
        return true;
    }

    /// <summary>Rule 6: an approved extension moves the due date, and with it the reminder and the release.</summary>
    public Result<DateOnly> Extend(int days, Guid approverId, string reason, DateTimeOffset now, CompanyCalendar calendar)
    {
        if (Status != CustomerStatus.Protected || DueOn is not { } due || OwnerId is not { } owner)
            return new Refusal.NotProtected(Id, Status);
        var newDue = due.AddDays(days);
        DueOn = newDue;
        RemindAt = calendar.ReminderOn(newDue.AddDays(-1));
        ReleaseAt = calendar.PublicationOn(newDue);
        RemindedFor = null;
        Version++;
        Record(CustomerEventKind.Extended, now, approverId, owner, reason);
        return newDue;
    }

    /// <summary>
    /// The clerk hands a leaver's customer to another salesperson: the protection carries on
    /// with its dates (a signed customer stays signed). Slots are the caller's to check.
    /// </summary>
    public Result<Guid> Reassign(Guid newOwnerId, Guid actorId, DateTimeOffset now)
    {
        if (OwnerId is not { } previous || Status is not (CustomerStatus.Protected or CustomerStatus.Signed))
            return new Refusal.NotProtected(Id, Status);
        if (previous == newOwnerId)
            return Refusal.ValidationFailed.Of("salespersonId", "The customer already belongs to this salesperson.");
        OwnerId = newOwnerId;
        RemindedFor = null;
        Version++;
        Record(CustomerEventKind.HandedOver, now, actorId, previous, null);
        Record(CustomerEventKind.Reassigned, now, actorId, newOwnerId, null);
        return previous;
    }

    /// <summary>The refusal a registration of this customer meets (rule 3's conflict).</summary>
    public Refusal ConflictFor(Holder? holder) => Status switch
    {
        CustomerStatus.InPool => new Refusal.InPool(Id),
        CustomerStatus.Protected or CustomerStatus.PendingReview or CustomerStatus.Signed =>
            new Refusal.CustomerTaken(Id, Status, holder, Status == CustomerStatus.Signed ? null : DueOn, null),
        CustomerStatus.PendingPublication => new Refusal.CustomerTaken(Id, Status, null, null, PublishAt),
        CustomerStatus.Merged => throw new InvalidOperationException("A merged customer conflicts as the customer it was merged into: resolve it first."),
    };

    /// <summary>
    /// Issue 6: the clerk found this customer to be the same company as <paramref name="kept"/>. This one
    /// ends (no owner, no slot) and points to the kept one; both histories stay, each with a Merged line
    /// saying who, when and why. A merge never moves or ends a salesperson's protection: this customer must
    /// be free, or held by the kept customer's owner (rule 3: ownership is settled by release or handover,
    /// which have their own history, not as a side effect of a merge); a signed customer is never merged
    /// into an unsigned one.
    /// </summary>
    public Refusal? MergeInto(Customer kept, Guid clerkId, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (kept.Id == Id)
            return Refusal.ValidationFailed.Of("intoCustomerId", "A customer cannot be merged into itself.");
        if (Status == CustomerStatus.Merged)
            return new Refusal.CustomerMerged(Id, MergedIntoId);
        if (kept.Status == CustomerStatus.Merged)
            return new Refusal.CustomerMerged(kept.Id, kept.MergedIntoId);
        if (OwnerId is { } owner && owner != kept.OwnerId)
            return new Refusal.MergeOwnersDiffer(Id, owner, kept.Id, kept.OwnerId);
        if (Status == CustomerStatus.Signed && kept.Status != CustomerStatus.Signed)
            return new Refusal.MergeSignedAway(Id, kept.Id);

        var previousOwner = OwnerId;
        ClearProtection();
        Status = CustomerStatus.Merged;
        MergedIntoId = kept.Id;
        PublishAt = null;
        PublishedAt = null;
        Version++;
        Record(CustomerEventKind.Merged, now, clerkId, previousOwner, $"merged into {kept.Name} ({kept.Id}): {reason}");
        kept.Version++;
        kept.Record(CustomerEventKind.Merged, now, clerkId, kept.OwnerId, $"merged from {Name} ({Id}): {reason}");
        return null;
    }

    /// <summary>A customer merged into one that is merged in turn points straight to the last: resolving is one hop.</summary>
    public void FollowMerge(Guid keptId)
    {
        if (Status == CustomerStatus.Merged)
            MergedIntoId = keptId;
    }

    /// <summary>
    /// The duplicate check's keys recomputed by a newer normaliser (stored keys are re-keyed at start when the
    /// normaliser version changes). Not an ownership change: the version stays.
    /// </summary>
    public void Rekey(string nameKey, string? phoneKey, string? creditCodeKey)
    {
        NameKey = nameKey;
        PhoneKey = phoneKey;
        CreditCodeKey = creditCodeKey;
    }

    private void Protect(Guid salespersonId, ProtectionTerm term)
    {
        Status = CustomerStatus.Protected;
        OwnerId = salespersonId;
        StartsOn = term.StartsOn;
        DueOn = term.DueOn;
        RemindAt = term.RemindAt;
        ReleaseAt = term.ReleaseAt;
        RemindedFor = null;
        PublishAt = null;
        PublishedAt = null;
        Version++;
    }

    private void ClearProtection()
    {
        OwnerId = null;
        StartsOn = null;
        DueOn = null;
        RemindAt = null;
        ReleaseAt = null;
        RemindedFor = null;
    }

    private void Record(CustomerEventKind kind, DateTimeOffset at, Guid? actorId, Guid? salespersonId, string? reason) =>
        _history.Add(new CustomerEvent(Id, kind, at, actorId, salespersonId,
            reason is { Length: > CustomerEvent.MaxReasonLength } ? reason[..CustomerEvent.MaxReasonLength] : reason));
}
