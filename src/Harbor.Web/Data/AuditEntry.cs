namespace Harbor.Web.Data;

/// <summary>
/// One line of the audit trail for what is not a change of a customer's ownership (those are
/// <see cref="Domain.Customers.CustomerEvent"/>s): sign-ins, accounts, settings, exports. Append-only:
/// no route changes it, and a database trigger refuses UPDATE and DELETE on both engines.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxActionLength = 40;
    public const int MaxDetailsLength = 2000;

    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who did it; null for an anonymous attempt or the system.</summary>
    public Guid? ActorId { get; set; }

    public required string Action { get; set; }

    /// <summary>The account or customer it was done to, if any.</summary>
    public Guid? SubjectId { get; set; }

    public string? Details { get; set; }
}

public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string UserCreated = "user-created";
    public const string UserDeactivated = "user-deactivated";
    public const string GroupCreated = "group-created";
    public const string ClockMoved = "clock-moved";
    public const string SettingChanged = "setting-changed";
    public const string Export = "export";
}
