using MudBlazor;

namespace Harbor.Web.Components.Shared;

public enum DueTone
{
    /// <summary>No protection clock: signed, or not held.</summary>
    None,
    Calm,
    Soon,
    Urgent,
}

/// <summary>How loudly a due date speaks. Rule 4: the reminder goes out the day before the due
/// day and the customer is published at 10:00 on it, so one day left is already urgent.</summary>
public static class DueTones
{
    public const int UrgentDays = 1;
    public const int SoonDays = 3;

    public static DueTone Of(int? daysLeft) => daysLeft switch
    {
        null => DueTone.None,
        <= UrgentDays => DueTone.Urgent,
        <= SoonDays => DueTone.Soon,
        _ => DueTone.Calm,
    };

    public static Color ColorOf(DueTone tone) => tone switch
    {
        DueTone.None => Color.Default,
        DueTone.Calm => Color.Success,
        DueTone.Soon => Color.Warning,
        DueTone.Urgent => Color.Error,
    };

    public static string CssOf(DueTone tone) => tone switch
    {
        DueTone.None => "harbor-tone-none",
        DueTone.Calm => "harbor-tone-calm",
        DueTone.Soon => "harbor-tone-soon",
        DueTone.Urgent => "harbor-tone-urgent",
    };
}
