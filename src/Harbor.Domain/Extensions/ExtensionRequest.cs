using Harbor.Domain.Access;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Extensions;

public enum ExtensionStatus
{
    Pending,
    Approved,
    Rejected,

    /// <summary>Still pending when the customer fell due (or left its owner): the release went ahead.</summary>
    TooLate,
}

/// <summary>
/// Rule 6 (延期申请): a salesperson asks for more days on one of their protected customers. Up to
/// ManagerMaxExtensionDays a manager of their group decides; more needs a director.
/// </summary>
public sealed class ExtensionRequest
{
    public const int MaxReasonLength = 500;

    private ExtensionRequest()
    {
        Reason = "";
    }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public Guid SalespersonId { get; private set; }
    public Guid? GroupId { get; private set; }
    public int Days { get; private set; }
    public string Reason { get; private set; }
    public ExtensionStatus Status { get; private set; }
    public Role ApproverRole { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>The local calendar month it counts against (rule 6: one per salesperson per month).</summary>
    public DateOnly Month { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }
    public Guid? DeciderId { get; private set; }
    public string? Comment { get; private set; }
    public int Version { get; private set; }

    public static Result<ExtensionRequest> Create(Guid id, Guid customerId, Guid salespersonId, Guid? groupId, int days, string? reason,
        int requestsThisMonth, DateTimeOffset now, PolicySettings policy, CompanyCalendar calendar)
    {
        var errors = new Dictionary<string, string[]>();
        if (days < 1 || days > policy.MaxExtensionDays)
            errors["days"] = [$"An extension is 1 to {policy.MaxExtensionDays} days."];
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxReasonLength)
            errors["reason"] = [$"Say why, in 1 to {MaxReasonLength} characters."];
        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);
        if (requestsThisMonth >= policy.ExtensionsPerMonth)
            return new Refusal.ExtensionLimit(policy.ExtensionsPerMonth);

        var today = calendar.DayOf(now);
        return new ExtensionRequest
        {
            Id = id,
            CustomerId = customerId,
            SalespersonId = salespersonId,
            GroupId = groupId,
            Days = days,
            Reason = text!,
            Status = ExtensionStatus.Pending,
            ApproverRole = days <= policy.ManagerMaxExtensionDays ? Role.Manager : Role.Director,
            RequestedAt = now,
            Month = new DateOnly(today.Year, today.Month, 1),
        };
    }

    /// <summary>
    /// Who may decide: a manager of the salesperson's group up to the manager's limit, a
    /// director always. Managers of other groups cannot decide at all.
    /// </summary>
    public Refusal? CheckDecider(Viewer decider) => decider.Role switch
    {
        Role.Director => null,
        Role.Manager when decider.GroupId is null || decider.GroupId != GroupId => new Refusal.Forbidden("Only a manager of the salesperson's group decides."),
        Role.Manager when ApproverRole == Role.Director => new Refusal.RequiresDirector(Days),
        Role.Manager => null,
        Role.Salesperson or Role.Clerk or Role.Admin => new Refusal.Forbidden("Managers and directors decide extensions."),
    };

    public Refusal? Decide(Viewer decider, bool approve, string? comment, DateTimeOffset now)
    {
        if (CheckDecider(decider) is { } refusal)
            return refusal;
        if (Status != ExtensionStatus.Pending)
            return Status == ExtensionStatus.TooLate ? new Refusal.TooLate(Id) : new Refusal.AlreadyDecided(Id, Status.ToString());
        Status = approve ? ExtensionStatus.Approved : ExtensionStatus.Rejected;
        DecidedAt = now;
        DeciderId = decider.Id;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        Version++;
        return null;
    }

    /// <summary>The customer fell due or left its owner while this waited: the release went ahead.</summary>
    /// <summary>
    /// The customer was merged into another of the same owner (issue 6): the request, still pending, follows the
    /// company to the kept customer and still counts in the month it was made.
    /// </summary>
    public bool FollowMerge(Guid keptCustomerId)
    {
        if (Status != ExtensionStatus.Pending)
            return false;
        CustomerId = keptCustomerId;
        Version++;
        return true;
    }

    public bool MarkTooLate(DateTimeOffset now)
    {
        if (Status != ExtensionStatus.Pending)
            return false;
        Status = ExtensionStatus.TooLate;
        DecidedAt = now;
        Version++;
        return true;
    }
}
