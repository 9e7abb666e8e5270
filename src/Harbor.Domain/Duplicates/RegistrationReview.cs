using Harbor.Domain.Customers;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Duplicates;

public enum ReviewStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// A registration that looks like a customer already in the registry (issue 6): it waits for the
/// clerk, with its name and the salesperson's slot reserved. Approved, it becomes the customer
/// (same id); rejected, it is recorded as a duplicate of the customer the clerk names.
/// </summary>
public sealed class RegistrationReview
{
    private RegistrationReview()
    {
        Name = NameKey = CandidateIds = "";
    }

    public Guid Id { get; private set; }
    public Guid SalespersonId { get; private set; }
    public Guid RequestedById { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public string Name { get; private set; }
    public string NameKey { get; private set; }
    public string? Phone { get; private set; }
    public string? PhoneKey { get; private set; }
    public string? CreditCode { get; private set; }
    public string? CreditCodeKey { get; private set; }
    public string? ContactName { get; private set; }
    public string? Address { get; private set; }
    public string? Notes { get; private set; }
    public ReviewStatus Status { get; private set; }

    /// <summary>The likely duplicates found at registration, comma-separated ids, best first.</summary>
    public string CandidateIds { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }
    public Guid? DeciderId { get; private set; }
    public Guid? DuplicateOfId { get; private set; }
    public int Version { get; private set; }

    public ValidCustomerDetails Details => new(Name, NameKey, Phone, PhoneKey, CreditCode, CreditCodeKey, ContactName, Address, Notes, []);

    public IReadOnlyList<Guid> Candidates => CandidateIds.Length == 0 ? [] : [.. CandidateIds.Split(',').Select(Guid.Parse)];

    public static RegistrationReview Create(Guid id, ValidCustomerDetails details, Guid salespersonId, Guid requestedById, IEnumerable<Guid> candidates, DateTimeOffset now) => new()
    {
        Id = id,
        SalespersonId = salespersonId,
        RequestedById = requestedById,
        RequestedAt = now,
        Name = details.Name,
        NameKey = details.NameKey,
        Phone = details.Phone,
        PhoneKey = details.PhoneKey,
        CreditCode = details.CreditCode,
        CreditCodeKey = details.CreditCodeKey,
        ContactName = details.ContactName,
        Address = details.Address,
        Notes = details.Notes,
        Status = ReviewStatus.Pending,
        CandidateIds = string.Join(',', candidates),
    };

    /// <summary>A new customer after all: protected under the salesperson from the day of the decision.</summary>
    public Result<Customer> Approve(Guid clerkId, ProtectionTerm term, DateTimeOffset now)
    {
        if (Status != ReviewStatus.Pending)
            return new Refusal.AlreadyDecided(Id, Status.ToString());
        Status = ReviewStatus.Approved;
        DecidedAt = now;
        DeciderId = clerkId;
        Version++;
        return Customer.Register(Id, Details, SalespersonId, term, clerkId, now);
    }

    /// <summary>Keys recomputed by a newer normaliser, as for customers (see <see cref="Customer.Rekey"/>).</summary>
    public void Rekey(string nameKey, string? phoneKey, string? creditCodeKey)
    {
        NameKey = nameKey;
        PhoneKey = phoneKey;
        CreditCodeKey = creditCodeKey;
    }

    public Refusal? Reject(Guid clerkId, Guid duplicateOf, DateTimeOffset now)
    {
        if (Status != ReviewStatus.Pending)
            return new Refusal.AlreadyDecided(Id, Status.ToString());
        Status = ReviewStatus.Rejected;
        DecidedAt = now;
        DeciderId = clerkId;
        DuplicateOfId = duplicateOf;
        Version++;
        return null;
    }
}
