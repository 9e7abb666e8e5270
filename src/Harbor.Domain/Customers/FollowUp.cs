namespace Harbor.Domain.Customers;

/// <summary>One contact with a customer (跟进记录): the stage it reached, a note, when.</summary>
public sealed class FollowUp
{
    public const int MaxNoteLength = 2000;

    private FollowUp()
    {
        Stage = "";
    }

    public FollowUp(Guid id, Guid customerId, Guid authorId, string stage, string? note, DateTimeOffset at, DateTimeOffset recordedAt)
    {
        Id = id;
        CustomerId = customerId;
        AuthorId = authorId;
        Stage = stage;
        Note = note;
        At = at;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public Guid AuthorId { get; private set; }
    public string Stage { get; private set; }
    public string? Note { get; private set; }
    public DateTimeOffset At { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
