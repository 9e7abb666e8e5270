using Harbor.Domain.Policy;
using static Harbor.Domain.Tests.Policy.Instants;

namespace Harbor.Domain.Tests.Policy;

public class ProtectionTermTests
{
    private static readonly PolicySettings DefaultPolicy = new();
    private static readonly CompanyCalendar Calendar = new(DefaultPolicy);

    // RULES.md, the worked example: registered on 1 December -> protected through the morning of
    // 16 December; reminder on 15 December at 09:00; if still unsigned, published on 16 December at 10:00.
    [Fact]
    public void ProtectionTerm_WorkedExample_RegisteredFirstDecemberDueSixteenth()
    {
        var term = ProtectionTerm.StartingAt(InShanghai(2026, 12, 1, 14, 30), DefaultPolicy, Calendar);

        Assert.Equal(new DateOnly(2026, 12, 1), term.StartsOn);
        Assert.Equal(new DateOnly(2026, 12, 16), term.DueOn);
        AssertExactly(InShanghai(2026, 12, 15, 9, 0), term.RemindAt);
        AssertExactly(InShanghai(2026, 12, 16, 10, 0), term.ReleaseAt);
    }

    [Fact]
    public void Starting_WorkedExampleByDay_SameTermAsStartingAt()
    {
        var byDay = ProtectionTerm.Starting(new DateOnly(2026, 12, 1), 15, Calendar);

        Assert.Equal(ProtectionTerm.StartingAt(InShanghai(2026, 12, 1, 9, 0), DefaultPolicy, Calendar), byDay);
    }

    [Fact]
    public void StartingAt_OneMinuteBeforeLocalMidnight_StartsThatLocalDay()
    {
        // 15:59Z is 23:59 on 1 December in Shanghai.
        var term = ProtectionTerm.StartingAt(Utc(2026, 12, 1, 15, 59), DefaultPolicy, Calendar);

        Assert.Equal(new DateOnly(2026, 12, 1), term.StartsOn);
        Assert.Equal(new DateOnly(2026, 12, 16), term.DueOn);
    }

    [Fact]
    public void StartingAt_LocalMidnight_StartsTheNextDay()
    {
        // 16:00Z is 00:00 on 2 December in Shanghai, though still 1 December in UTC.
        var term = ProtectionTerm.StartingAt(Utc(2026, 12, 1, 16, 0), DefaultPolicy, Calendar);

        Assert.Equal(new DateOnly(2026, 12, 2), term.StartsOn);
        Assert.Equal(new DateOnly(2026, 12, 17), term.DueOn);
        AssertExactly(InShanghai(2026, 12, 16, 9, 0), term.RemindAt);
        AssertExactly(InShanghai(2026, 12, 17, 10, 0), term.ReleaseAt);
    }

    [Fact]
    public void StartingAt_AcrossYearEnd_DueFourthJanuary()
    {
        var term = ProtectionTerm.StartingAt(InShanghai(2026, 12, 20, 11, 0), DefaultPolicy, Calendar);

        Assert.Equal(new DateOnly(2026, 12, 20), term.StartsOn);
        Assert.Equal(new DateOnly(2027, 1, 4), term.DueOn);
        AssertExactly(InShanghai(2027, 1, 3, 9, 0), term.RemindAt);
        AssertExactly(InShanghai(2027, 1, 4, 10, 0), term.ReleaseAt);
    }

    [Fact]
    public void StartingAt_OneProtectionDay_DueTheNextDayAndRemindedTheFirst()
    {
        var policy = new PolicySettings { ProtectionDays = 1 };

        var term = ProtectionTerm.StartingAt(InShanghai(2026, 12, 1, 8, 0), policy, new CompanyCalendar(policy));

        Assert.Equal(new DateOnly(2026, 12, 1), term.StartsOn);
        Assert.Equal(new DateOnly(2026, 12, 2), term.DueOn);
        AssertExactly(InShanghai(2026, 12, 1, 9, 0), term.RemindAt);
        AssertExactly(InShanghai(2026, 12, 2, 10, 0), term.ReleaseAt);
    }

    [Fact]
    public void StartingAt_ThirtyProtectionDays_DueThirtyFirstDecember()
    {
        var policy = new PolicySettings { ProtectionDays = 30 };

        var term = ProtectionTerm.StartingAt(InShanghai(2026, 12, 1, 8, 0), policy, new CompanyCalendar(policy));

        Assert.Equal(new DateOnly(2026, 12, 31), term.DueOn);
        AssertExactly(InShanghai(2026, 12, 30, 9, 0), term.RemindAt);
        AssertExactly(InShanghai(2026, 12, 31, 10, 0), term.ReleaseAt);
    }

    [Fact]
    public void StartingAt_ThirtyProtectionDaysAcrossFebruary_CountsCalendarDays()
    {
        var policy = new PolicySettings { ProtectionDays = 30 };

        var term = ProtectionTerm.StartingAt(InShanghai(2027, 2, 10, 8, 0), policy, new CompanyCalendar(policy));

        Assert.Equal(new DateOnly(2027, 3, 12), term.DueOn);
    }

    [Fact]
    public void StartingAt_OtherReminderAndPublicationTimes_UsesThem()
    {
        var policy = new PolicySettings { ReminderTime = new(8, 30), PublicationTime = new(12, 0) };

        var term = ProtectionTerm.StartingAt(InShanghai(2026, 12, 1, 8, 0), policy, new CompanyCalendar(policy));

        AssertExactly(InShanghai(2026, 12, 15, 8, 30), term.RemindAt);
        AssertExactly(InShanghai(2026, 12, 16, 12, 0), term.ReleaseAt);
    }

    [Fact]
    public void StartingAt_CompanyInNewYork_DueOnItsLocalDayAndClock()
    {
        var policy = new PolicySettings { TimeZone = "America/New_York" };

        // 03:00Z on 2 December is 22:00 on 1 December in New York.
        var term = ProtectionTerm.StartingAt(Utc(2026, 12, 2, 3, 0), policy, new CompanyCalendar(policy));

        Assert.Equal(new DateOnly(2026, 12, 1), term.StartsOn);
        Assert.Equal(new DateOnly(2026, 12, 16), term.DueOn);
        AssertExactly(new DateTimeOffset(2026, 12, 16, 10, 0, 0, TimeSpan.FromHours(-5)), term.ReleaseAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Starting_LessThanOneDay_Throws(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProtectionTerm.Starting(new DateOnly(2026, 12, 1), days, Calendar));
    }

    [Theory]
    [InlineData(2026, 12, 1, 15)]
    [InlineData(2026, 12, 15, 1)]
    [InlineData(2026, 12, 16, 0)]
    [InlineData(2026, 12, 17, -1)]
    public void DaysLeft_WorkedExample_CountsDownToTheDueDay(int year, int month, int day, int expected)
    {
        var term = ProtectionTerm.Starting(new DateOnly(2026, 12, 1), 15, Calendar);

        Assert.Equal(expected, term.DaysLeft(new DateOnly(year, month, day)));
    }

    [Fact]
    public void DaysLeft_AcrossYearEnd_CountsCalendarDays()
    {
        var term = ProtectionTerm.Starting(new DateOnly(2026, 12, 20), 15, Calendar);

        Assert.Equal(4, term.DaysLeft(new DateOnly(2026, 12, 31)));
        Assert.Equal(3, term.DaysLeft(new DateOnly(2027, 1, 1)));
    }
}
