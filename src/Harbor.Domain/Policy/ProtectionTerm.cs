namespace Harbor.Domain.Policy;

/// <summary>
/// Rule 2: a protection that starts on day D is due on D + ProtectionDays. The owner is reminded
/// on the day before the due day, and the customer is released at the publication time of the
/// due day: active while <c>startsAt &lt;= now &lt; ReleaseAt</c>.
/// </summary>
public sealed record ProtectionTerm(DateOnly StartsOn, DateOnly DueOn, DateTimeOffset RemindAt, DateTimeOffset ReleaseAt)
{
    public static ProtectionTerm Starting(DateOnly startsOn, int days, CompanyCalendar calendar)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var dueOn = startsOn.AddDays(days);
        return new ProtectionTerm(startsOn, dueOn, calendar.ReminderOn(dueOn.AddDays(-1)), calendar.PublicationOn(dueOn));
    }

    public static ProtectionTerm StartingAt(DateTimeOffset now, PolicySettings policy, CompanyCalendar calendar) =>
        Starting(calendar.DayOf(now), policy.ProtectionDays, calendar);

    public int DaysLeft(DateOnly today) => DueOn.DayNumber - today.DayNumber;
}
