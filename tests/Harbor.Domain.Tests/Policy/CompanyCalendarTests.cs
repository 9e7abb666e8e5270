using Harbor.Domain.Policy;
using static Harbor.Domain.Tests.Policy.Instants;

namespace Harbor.Domain.Tests.Policy;

public class CompanyCalendarTests
{
    private static readonly CompanyCalendar Shanghai = new(new PolicySettings());

    private static CompanyCalendar In(string zone) =>
        new(new PolicySettings { TimeZone = zone });

    // Every "day" of the policy is a local day: 15:59Z is still 1 December in Shanghai, 16:00Z is not.
    [Fact]
    public void DayOf_OneMinuteBeforeLocalMidnight_IsThatLocalDay()
    {
        Assert.Equal(new DateOnly(2026, 12, 1), Shanghai.DayOf(Utc(2026, 12, 1, 15, 59)));
    }

    [Fact]
    public void DayOf_LocalMidnight_IsTheNextLocalDay()
    {
        Assert.Equal(new DateOnly(2026, 12, 2), Shanghai.DayOf(Utc(2026, 12, 1, 16, 0)));
    }

    [Fact]
    public void DayOf_InstantGivenInAnotherOffset_IsTheCompanysDay()
    {
        // 09:30 on 1 December in New York is 22:30 in Shanghai, still 1 December; 11:30 there is 2 December here.
        Assert.Equal(new DateOnly(2026, 12, 1), Shanghai.DayOf(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.FromHours(-5))));
        Assert.Equal(new DateOnly(2026, 12, 2), Shanghai.DayOf(new DateTimeOffset(2026, 12, 1, 11, 30, 0, TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void DayOf_ServerTimeZoneIsNotTheCompanys_UsesTheCompanys()
    {
        // 2026-12-01T23:59-05:00 (New York) is 2 December in UTC and in Shanghai, 1 December in New York.
        var instant = new DateTimeOffset(2026, 12, 1, 23, 59, 0, TimeSpan.FromHours(-5));

        Assert.Equal(new DateOnly(2026, 12, 1), In("America/New_York").DayOf(instant));
        Assert.Equal(new DateOnly(2026, 12, 2), Shanghai.DayOf(instant));
    }

    [Fact]
    public void ToLocal_AnyInstant_KeepsTheInstantAndShowsTheCompanyOffset()
    {
        var instant = Utc(2026, 12, 1, 2, 0);

        var local = Shanghai.ToLocal(instant);

        Assert.Equal(instant, local);
        AssertExactly(InShanghai(2026, 12, 1, 10, 0), local);
    }

    [Fact]
    public void ToLocal_NewYorkAcrossDaylightSaving_KeepsTheInstantWithTheOffsetOfThatDay()
    {
        var newYork = In("America/New_York");

        AssertExactly(new DateTimeOffset(2026, 3, 7, 10, 0, 0, TimeSpan.FromHours(-5)), newYork.ToLocal(Utc(2026, 3, 7, 15, 0)));
        AssertExactly(new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.FromHours(-4)), newYork.ToLocal(Utc(2026, 3, 8, 14, 0)));
    }

    [Fact]
    public void PublicationOn_DefaultPolicy_IsTenOClockLocal()
    {
        AssertExactly(InShanghai(2026, 12, 16, 10, 0), Shanghai.PublicationOn(new DateOnly(2026, 12, 16)));
    }

    [Fact]
    public void ReminderOn_DefaultPolicy_IsNineOClockLocal()
    {
        AssertExactly(InShanghai(2026, 12, 15, 9, 0), Shanghai.ReminderOn(new DateOnly(2026, 12, 15)));
    }

    // RULES.md, voluntary release: before 10:00 it is published at 10:00 that day, from 10:00 on the next day.
    [Fact]
    public void NextPublicationAfter_OneSecondBeforeTen_IsTenTheSameDay()
    {
        AssertExactly(InShanghai(2026, 12, 1, 10, 0), Shanghai.NextPublicationAfter(InShanghai(2026, 12, 1, 9, 59, 59)));
    }

    [Fact]
    public void NextPublicationAfter_ExactlyTen_IsTenTheNextDay()
    {
        AssertExactly(InShanghai(2026, 12, 2, 10, 0), Shanghai.NextPublicationAfter(InShanghai(2026, 12, 1, 10, 0)));
    }

    [Fact]
    public void NextPublicationAfter_OneSecondAfterTen_IsTenTheNextDay()
    {
        AssertExactly(InShanghai(2026, 12, 2, 10, 0), Shanghai.NextPublicationAfter(InShanghai(2026, 12, 1, 10, 0, 1)));
    }

    [Fact]
    public void NextPublicationAfter_LocalMidnight_IsTenThatDay()
    {
        AssertExactly(InShanghai(2026, 12, 2, 10, 0), Shanghai.NextPublicationAfter(Utc(2026, 12, 1, 16, 0)));
    }

    [Fact]
    public void NextPublicationAfter_OneMinuteBeforeMidnightOnNewYearsEve_IsTenOnFirstJanuary()
    {
        AssertExactly(InShanghai(2027, 1, 1, 10, 0), Shanghai.NextPublicationAfter(InShanghai(2026, 12, 31, 23, 59)));
    }

    [Fact]
    public void NextPublicationAfter_AfternoonOfLastDayOfMonth_IsTenOnFirstOfNextMonth()
    {
        AssertExactly(InShanghai(2026, 12, 1, 10, 0), Shanghai.NextPublicationAfter(InShanghai(2026, 11, 30, 15, 0)));
    }

    [Fact]
    public void NextPublicationAfter_InstantGivenInUtc_AnswersOnTheCompanyClock()
    {
        // 01:59:59Z is 09:59:59 in Shanghai; 02:00Z is 10:00 there.
        AssertExactly(InShanghai(2026, 12, 1, 10, 0), Shanghai.NextPublicationAfter(Utc(2026, 12, 1, 1, 59, 59)));
        AssertExactly(InShanghai(2026, 12, 2, 10, 0), Shanghai.NextPublicationAfter(Utc(2026, 12, 1, 2, 0)));
    }

    [Fact]
    public void NextPublicationAfter_NewYorkAtTenTheDayBeforeClocksGoForward_IsTwentyThreeHoursLater()
    {
        var newYork = In("America/New_York");
        var tenBefore = new DateTimeOffset(2026, 3, 7, 10, 0, 0, TimeSpan.FromHours(-5));

        var next = newYork.NextPublicationAfter(tenBefore);

        AssertExactly(new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.FromHours(-4)), next);
        Assert.Equal(TimeSpan.FromHours(23), next - tenBefore);
    }

    [Fact]
    public void NextPublicationAfter_NewYorkAtTenTheDayBeforeClocksGoBack_IsTwentyFiveHoursLater()
    {
        var newYork = In("America/New_York");
        var tenBefore = new DateTimeOffset(2026, 10, 31, 10, 0, 0, TimeSpan.FromHours(-4));

        var next = newYork.NextPublicationAfter(tenBefore);

        AssertExactly(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(-5)), next);
        Assert.Equal(TimeSpan.FromHours(25), next - tenBefore);
    }

    [Fact]
    public void NextPublicationAfter_NewYorkOnTheMorningClocksGoForward_IsTenThatDay()
    {
        // 01:59 EST is 06:59Z; the clock then jumps from 02:00 to 03:00.
        AssertExactly(
            new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.FromHours(-4)),
            In("America/New_York").NextPublicationAfter(Utc(2026, 3, 8, 6, 59)));
    }

    [Fact]
    public void NextPublicationAfter_BerlinAtNineFiftyNine_IsTenTheSameDay()
    {
        var berlin = In("Europe/Berlin");

        AssertExactly(
            new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.FromHours(2)),
            berlin.NextPublicationAfter(new DateTimeOffset(2026, 7, 1, 9, 59, 59, TimeSpan.FromHours(2))));
        AssertExactly(
            new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(1)),
            berlin.NextPublicationAfter(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1))));
    }

    // A local time the clocks skip happens at the first valid minute after it.
    [Fact]
    public void At_NewYorkTimeSkippedByClocksGoingForward_MovesForwardToThree()
    {
        AssertExactly(
            new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.FromHours(-4)),
            In("America/New_York").At(new DateOnly(2026, 3, 8), new TimeOnly(2, 30)));
    }

    [Fact]
    public void At_BerlinTimeSkippedByClocksGoingForward_MovesForwardToThree()
    {
        AssertExactly(
            new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)),
            In("Europe/Berlin").At(new DateOnly(2026, 3, 29), new TimeOnly(2, 30)));
    }

    // A local time the clocks show twice is taken at its first occurrence (still on summer time).
    [Fact]
    public void At_NewYorkTimeRepeatedByClocksGoingBack_TakesTheFirstOccurrence()
    {
        var at = In("America/New_York").At(new DateOnly(2026, 11, 1), new TimeOnly(1, 30));

        AssertExactly(new DateTimeOffset(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(-4)), at);
        Assert.Equal(Utc(2026, 11, 1, 5, 30), at);
    }

    [Fact]
    public void At_BerlinTimeRepeatedByClocksGoingBack_TakesTheFirstOccurrence()
    {
        var at = In("Europe/Berlin").At(new DateOnly(2026, 10, 25), new TimeOnly(2, 30));

        AssertExactly(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)), at);
        Assert.Equal(Utc(2026, 10, 25, 0, 30), at);
    }

    [Fact]
    public void At_NewYorkOrdinaryDaysEitherSideOfDaylightSaving_UseThatDaysOffset()
    {
        var newYork = In("America/New_York");

        AssertExactly(new DateTimeOffset(2026, 3, 7, 10, 0, 0, TimeSpan.FromHours(-5)), newYork.At(new DateOnly(2026, 3, 7), new TimeOnly(10, 0)));
        AssertExactly(new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.FromHours(-4)), newYork.At(new DateOnly(2026, 3, 8), new TimeOnly(10, 0)));
        AssertExactly(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(-5)), newYork.At(new DateOnly(2026, 11, 1), new TimeOnly(10, 0)));
    }

    [Fact]
    public void PublicationOn_PublicationTimeSkippedThatNight_IsTheFirstValidMinuteAfter()
    {
        var calendar = new CompanyCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), new TimeOnly(2, 30), new TimeOnly(1, 30));

        AssertExactly(new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.FromHours(-4)), calendar.PublicationOn(new DateOnly(2026, 3, 8)));
    }

    [Fact]
    public void Constructor_FromPolicySettings_TakesItsZoneAndTimes()
    {
        var calendar = new CompanyCalendar(new PolicySettings { TimeZone = "Europe/Berlin", PublicationTime = new(11, 30), ReminderTime = new(8, 15) });

        Assert.Equal("Europe/Berlin", calendar.Zone.Id);
        Assert.Equal(new TimeOnly(11, 30), calendar.PublicationTime);
        Assert.Equal(new TimeOnly(8, 15), calendar.ReminderTime);
        AssertExactly(new DateTimeOffset(2026, 12, 1, 11, 30, 0, TimeSpan.FromHours(1)), calendar.NextPublicationAfter(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1))));
    }
}
