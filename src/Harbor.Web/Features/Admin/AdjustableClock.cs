using Harbor.Domain.Policy;

namespace Harbor.Web.Features.Admin;

public sealed class ClockOptions
{
    /// <summary>Demos, training and acceptance tests only: lets the admin move the whole app's clock forward.</summary>
    public bool Adjustable { get; set; }
}

/// <summary>
/// The simulation clock: real time plus an offset the admin can only increase, so a trainer can
/// run a whole 15-day cycle in minutes. The offset lives in this process: with several app
/// instances, use it on one only.
/// </summary>
public sealed class AdjustableClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public Result<DateTimeOffset> MoveTo(DateTimeOffset target)
    {
        lock (inner)
        {
            var now = GetUtcNow();
            if (target < now)
                return new Refusal.ClockBackward(now);
            Interlocked.Add(ref _offsetTicks, (target - now).Ticks);
            return GetUtcNow();
        }
    }
}
