using Harbor.Domain.Access;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Cooperation;

public enum CooperationStatus
{
    Pending,
    Approved,
    Rejected,
    Ended,
}

/// <summary>
/// Rule 8 (合作登记表): a customer belongs to one salesperson, hence one group; another salesperson
/// of any group works on it only through a cooperation the owner proposes with a share of the
/// credit and the owner's group manager approves.
/// </summary>
public sealed class CooperationAgreement
{
    public const int MaxCommentLength = 500;

    /// <summary>Partners' live shares together: the owner keeps at least 1% (rule 8).</summary>
    public const int MaxTotalSharePercent = 99;

    private CooperationAgreement()
    {
    }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public Guid OwnerId { get; private set; }
    public Guid? OwnerGroupId { get; private set; }
    public Guid PartnerId { get; private set; }

    /// <summary>The partner's share of the performance credit, in percent; the owner keeps the rest.</summary>
    public int SharePercent { get; private set; }

    public CooperationStatus Status { get; private set; }
    public DateTimeOffset ProposedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public Guid? DeciderId { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public Guid? EndedById { get; private set; }
    public int Version { get; private set; }

    public bool IsLive => Status is CooperationStatus.Pending or CooperationStatus.Approved;

    /// <param name="otherLiveShares">Shares of the customer's other pending or approved cooperations.</param>
    public static Result<CooperationAgreement> Propose(Guid id, Guid customerId, Guid ownerId, Guid? ownerGroupId, Guid partnerId, int sharePercent,
        int otherLiveShares, DateTimeOffset now)
    {
        if (partnerId == ownerId)
            return Refusal.ValidationFailed.Of("partnerId", "The owner cannot cooperate with themselves.");
        if (sharePercent is < 1 or > 99)
            return Refusal.ValidationFailed.Of("sharePercent", "A share is 1 to 99 percent: the owner keeps the rest.");
        if (otherLiveShares + sharePercent > MaxTotalSharePercent)
            return Refusal.ValidationFailed.Of("sharePercent", $"Other cooperations already take {otherLiveShares}%: the owner keeps at least 1%.");
        return new CooperationAgreement
        {
            Id = id,
            CustomerId = customerId,
            OwnerId = ownerId,
            OwnerGroupId = ownerGroupId,
            PartnerId = partnerId,
            SharePercent = sharePercent,
            Status = CooperationStatus.Pending,
            ProposedAt = now,
        };
    }

    /// <summary>The owner's group manager decides; a director may too.</summary>
    public Refusal? CheckDecider(Viewer decider) => decider.Role switch
    {
        Role.Director => null,
        Role.Manager when decider.GroupId is not null && decider.GroupId == OwnerGroupId => null,
        Role.Manager => new Refusal.Forbidden("Only the manager of the owner's group decides."),
        Role.Salesperson or Role.Clerk or Role.Admin => new Refusal.Forbidden("The owner's group manager decides cooperations."),
    };

    public Refusal? Decide(Viewer decider, bool approve, string? comment, DateTimeOffset now)
    {
        if (CheckDecider(decider) is { } refusal)
            return refusal;
        if (Status != CooperationStatus.Pending)
            return new Refusal.AlreadyDecided(Id, Status.ToString());
        Status = approve ? CooperationStatus.Approved : CooperationStatus.Rejected;
        DecidedAt = now;
        DeciderId = decider.Id;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        Version++;
        return null;
    }

    /// <summary>
    /// The customer was merged into another of the same owner (issue 6): a live cooperation follows the company
    /// to the kept customer (rule 8: the partner's share is the owner's agreement, not the spelling's).
    /// </summary>
    public bool FollowMerge(Guid keptCustomerId)
    {
        if (!IsLive)
            return false;
        CustomerId = keptCustomerId;
        Version++;
        return true;
    }

    /// <summary>The owner or a decider ends a live cooperation; so does the owner losing the customer.</summary>
    public Refusal? End(Viewer? by, DateTimeOffset now)
    {
        if (by is not null && by.Id != OwnerId && CheckDecider(by) is { } refusal)
            return refusal;
        if (!IsLive)
            return new Refusal.AlreadyDecided(Id, Status.ToString());
        Status = CooperationStatus.Ended;
        EndedAt = now;
        EndedById = by?.Id;
        Version++;
        return null;
    }
}
