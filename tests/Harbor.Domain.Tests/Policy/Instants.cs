using System.Globalization;

namespace Harbor.Domain.Tests.Policy;

/// <summary>Instants compared as the policy states them: the same moment and the same local offset.</summary>
internal static class Instants
{
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>An instant on the Shanghai clock: the company's default time zone.</summary>
    public static DateTimeOffset InShanghai(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, Shanghai);

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    /// <summary>
    /// Equal instants are not enough: the calendar must also show them on the company's clock, so
    /// "10:00+08:00" and "02:00Z" differ here.
    /// </summary>
    public static void AssertExactly(DateTimeOffset expected, DateTimeOffset? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ToString("O", CultureInfo.InvariantCulture), actual.Value.ToString("O", CultureInfo.InvariantCulture));
    }
}
