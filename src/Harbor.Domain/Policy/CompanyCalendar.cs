namespace Harbor.Domain.Policy;

/// <summary>
/// The one type that knows the company's time zone: turns instants into local days and local
/// days into the reminder and publication instants. Every "day" of the policy is a local day.
/// </summary>
public sealed class CompanyCalendar
{
    public CompanyCalendar(TimeZoneInfo zone, TimeOnly publicationTime, TimeOnly reminderTime)
    {
        Zone = zone;
        PublicationTime = publicationTime;
        ReminderTime = reminderTime;
    }

    public CompanyCalendar(PolicySettings settings)
        : this(TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone), settings.PublicationTime, settings.ReminderTime)
    {
    }

    public TimeZoneInfo Zone { get; }
    public TimeOnly PublicationTime { get; }
    public TimeOnly ReminderTime { get; }

    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant at which the local clock shows <paramref name="time"/> on <paramref name="day"/>.</summary>
    public DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        // A local time skipped by a daylight-saving jump happens at the first valid minute after it.
        while (Zone.IsInvalidTime(local))
            local = local.AddMinutes(1);
        // An ambiguous local time (clocks turned back) is taken at its first occurrence.
        var offset = Zone.IsAmbiguousTime(local)
            ? Zone.GetAmbiguousTimeOffsets(local).Max()
            : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public DateTimeOffset PublicationOn(DateOnly day) => At(day, PublicationTime);

    public DateTimeOffset ReminderOn(DateOnly day) => At(day, ReminderTime);

    /// <summary>
    /// RULES.md, voluntary release: given up before the publication time it is published that
    /// day; at or after it, the next day. The window is half-open.
    /// </summary>
    public DateTimeOffset NextPublicationAfter(DateTimeOffset instant)
    {
        var day = DayOf(instant);
        var today = PublicationOn(day);
        return instant < today ? today : PublicationOn(day.AddDays(1));
    }
}
