namespace Harbor.Web.Data;

/// <summary>An in-app notification for one user; <see cref="Payload"/> is the kind's JSON.</summary>
public sealed class Notification
{
    public const int MaxKindLength = 40;

    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public required string Payload { get; set; }
}

public static class NotificationKinds
{
    /// <summary>Rule 4: the day before the due day, to the owner.</summary>
    public const string DueTomorrow = "due-tomorrow";

    /// <summary>Rule 4: at the publication time, to every salesperson, one per publication.</summary>
    public const string Published = "published";

    /// <summary>Rule 6 and rule 8: requests to their deciders, decisions to their requesters.</summary>
    public const string ExtensionRequested = "extension-requested";
    public const string ExtensionDecided = "extension-decided";
    public const string ExtensionTooLate = "extension-too-late";
    public const string CooperationProposed = "cooperation-proposed";
    public const string CooperationDecided = "cooperation-decided";

    /// <summary>Issue 6: the clerk's decision on a registration that looked like a duplicate.</summary>
    public const string RegistrationReviewed = "registration-reviewed";

    /// <summary>Issue 6: the clerk merged one of the owner's customers into another (to the kept one's owner).</summary>
    public const string CustomerMerged = "customer-merged";
}

/// <summary>
/// One publication instant (10:00 of a day) and whether every salesperson has been told of it.
/// The announcement is its own step, so a crash between publishing and telling loses nothing and
/// a second sweep never tells twice.
/// </summary>
public sealed class Publication
{
    public DateTimeOffset At { get; set; }
    public int Customers { get; set; }
    public DateTimeOffset? AnnouncedAt { get; set; }
}
