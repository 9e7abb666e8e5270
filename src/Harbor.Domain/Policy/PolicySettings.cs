namespace Harbor.Domain.Policy;

/// <summary>
/// The numbers of the policy (RULES.md, "Harbor's exact reading"). A company may change the
/// numbers, never the mechanics.
/// </summary>
public sealed record PolicySettings
{
    public const int MaxSlotLimit = 1000;
    public const int MaxProtectionDays = 365;

    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Rule 1: active (unsigned) protections one salesperson may hold.</summary>
    public int SlotLimit { get; init; } = 15;

    /// <summary>Rule 2: a protection that starts on day D is due on D + this.</summary>
    public int ProtectionDays { get; init; } = 15;

    /// <summary>Rule 4: the owner is reminded at this time on the day before the due day.</summary>
    public TimeOnly ReminderTime { get; init; } = new(9, 0);

    /// <summary>Rule 4: at this time on the due day unsigned customers are published.</summary>
    public TimeOnly PublicationTime { get; init; } = new(10, 0);

    /// <summary>A salesperson cannot take back a customer they gave up or lost for this long (0: off).</summary>
    public int ReclaimCoolDownDays { get; init; } = 30;

    /// <summary>Rule 6: extension requests per salesperson per calendar month.</summary>
    public int ExtensionsPerMonth { get; init; } = 1;

    /// <summary>Rule 6: a manager may approve up to this many days; more needs a director.</summary>
    public int ManagerMaxExtensionDays { get; init; } = 5;

    public int MaxExtensionDays { get; init; } = 15;

    /// <summary>Rule 7: the sales stages in order; the last one means signed.</summary>
    public IReadOnlyList<string> Stages { get; init; } =
        ["phone-call", "first-meeting", "phone-follow-up", "second-meeting", "objection-call", "closing-meeting", "signed"];

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return $"TimeZone '{TimeZone}' is not a time zone this machine knows (e.g. Asia/Shanghai).";
        if (SlotLimit is < 1 or > MaxSlotLimit) yield return $"SlotLimit must be between 1 and {MaxSlotLimit}.";
        if (ProtectionDays is < 1 or > MaxProtectionDays) yield return $"ProtectionDays must be between 1 and {MaxProtectionDays}.";
        if (ReclaimCoolDownDays < 0) yield return "ReclaimCoolDownDays cannot be negative.";
        if (ExtensionsPerMonth < 0) yield return "ExtensionsPerMonth cannot be negative.";
        if (ManagerMaxExtensionDays < 0 || ManagerMaxExtensionDays > MaxExtensionDays)
            yield return "ManagerMaxExtensionDays must be between 0 and MaxExtensionDays.";
        if (Stages.Count < 2) yield return "Stages needs at least two stages; the last one means signed.";
    }
}
