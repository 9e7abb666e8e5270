using Harbor.Domain.Policy;

namespace Harbor.Domain.Tests.Policy;

// Rule 1: 15 protection slots; rule 3: with none free, give up an old customer first, then add the new one.
public class SlotsTests
{
    private const int DefaultLimit = 15;

    [Fact]
    public void CheckFreeSlot_FourteenUsed_Fits()
    {
        Assert.Null(Slots.CheckFreeSlot(14, DefaultLimit, releasingOne: false));
    }

    [Fact]
    public void CheckFreeSlot_FifteenUsed_QuotaFullOfFifteen()
    {
        var refusal = Slots.CheckFreeSlot(15, DefaultLimit, releasingOne: false);

        Assert.Equal(new Refusal.QuotaFull(15), refusal);
        Assert.Equal("quota-full", refusal!.Code);
    }

    [Fact]
    public void CheckFreeSlot_FifteenUsedAndGivingOneUp_Fits()
    {
        Assert.Null(Slots.CheckFreeSlot(15, DefaultLimit, releasingOne: true));
    }

    [Fact]
    public void CheckFreeSlot_SixteenUsedAndGivingOneUp_StillQuotaFull()
    {
        Assert.Equal(new Refusal.QuotaFull(15), Slots.CheckFreeSlot(16, DefaultLimit, releasingOne: true));
    }

    [Fact]
    public void CheckFreeSlot_NoneUsedLimitOne_Fits()
    {
        Assert.Null(Slots.CheckFreeSlot(0, 1, releasingOne: false));
    }

    [Fact]
    public void CheckFreeSlot_OneUsedLimitOne_QuotaFullOfOne()
    {
        Assert.Equal(new Refusal.QuotaFull(1), Slots.CheckFreeSlot(1, 1, releasingOne: false));
    }

    [Theory]
    [InlineData(0, 3, false, true)]
    [InlineData(2, 3, false, true)]
    [InlineData(3, 3, false, false)]
    [InlineData(3, 3, true, true)]
    [InlineData(29, 30, false, true)]
    [InlineData(30, 30, false, false)]
    [InlineData(30, 30, true, true)]
    public void CheckFreeSlot_CustomLimit_FitsWhileUnderTheLimit(int used, int limit, bool releasingOne, bool fits)
    {
        var refusal = Slots.CheckFreeSlot(used, limit, releasingOne);

        Assert.Equal(fits ? null : new Refusal.QuotaFull(limit), refusal);
    }
}
