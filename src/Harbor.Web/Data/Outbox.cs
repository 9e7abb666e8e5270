namespace Harbor.Web.Data;

/// <summary>Where an outbox message goes: a person's mailbox or a group's chat bot.</summary>
public enum OutboxChannel
{
    Email,
    WeCom,
    DingTalk,
    Feishu,
}

/// <summary>
/// A message to one target, written in the same transaction as the event that causes it and
/// delivered later by the dispatcher (ADR-009). <see cref="Key"/> is the idempotency key (event and
/// target, and the part when a provider's size limit splits a message): unique, so one event never
/// queues the same message for the same target twice.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxKeyLength = 200;
    public const int MaxTargetLength = 254;
    public const int MaxSubjectLength = 200;
    public const int MaxErrorLength = 1000;

    public Guid Id { get; set; }
    public required string Key { get; set; }
    public required string Kind { get; set; }
    public OutboxChannel Channel { get; set; }

    /// <summary>The email address, or the id of the group whose bot is told (its URL is read at send time).</summary>
    public required string Target { get; set; }

    public required string Subject { get; set; }

    /// <summary>The text in the recipient's language; <c>{harbor}</c> stands for Harbor's public address.</summary>
    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not before this instant: the backoff after a failure, the pacing of a bot, Feishu's quiet minute.</summary>
    public DateTimeOffset DueAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The dispatcher holding the message; a lease that ran out (a crash) is taken over.</summary>
    public Guid? LeaseId { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Set when retrying stopped (too many attempts, or a target that can never work); the admin may retry.</summary>
    public DateTimeOffset? GaveUpAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>The provider's answer to the last failed attempt: HTTP or SMTP status, and an excerpt of its body.</summary>
    public int? LastStatus { get; set; }

    public string? LastError { get; set; }
}

/// <summary>A group's chat bot. The webhook URL (it carries the bot's key) and the signing secret are stored encrypted.</summary>
public sealed class GroupBot
{
    public const int MaxProtectedLength = 4000;
    public const int MaxHintLength = 300;

    public Guid GroupId { get; set; }
    public OutboxChannel Kind { get; set; }
    public required string ProtectedUrl { get; set; }
    public string? ProtectedSecret { get; set; }

    /// <summary>Scheme, host and path only, for the admin page: the query (the key) is never shown.</summary>
    public required string UrlHint { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A token bucket per bot, stored so that the pace holds across restarts and instances; the
/// version makes two dispatchers taking the last token race cleanly (ADR-009).
/// </summary>
public sealed class BotPacing
{
    public const int MaxTargetLength = 100;

    public required string Target { get; set; }
    public double Tokens { get; set; }
    public DateTimeOffset RefilledAt { get; set; }

    /// <summary>After the provider said "too fast": WeCom and DingTalk throttle a bot for ten minutes.</summary>
    public DateTimeOffset? ThrottledUntil { get; set; }

    public int Version { get; set; }
}

/// <summary>A user's choices: the language of their emails and the kinds they do not want by email.</summary>
public sealed class NotificationPreference
{
    public const int MaxMutedLength = 400;

    public Guid UserId { get; set; }
    public required string Culture { get; set; }

    /// <summary>Comma-separated notification kinds.</summary>
    public required string MutedKinds { get; set; }
}
