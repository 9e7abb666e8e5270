using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class CreditCodeTests
{
    // Check characters computed from the GB 32100-2015 weights, see CheckCharacter_KnownCodes_MatchTheEighteenth.
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91440300708461136T")]
    [InlineData("91110108551385082Q")]
    [InlineData("91330100716105852F")]
    [InlineData("913205000000000020")] // sum mod 31 = 0: check 31 becomes 0
    [InlineData("92110100000000000G")]
    [InlineData("92110100000000004W")]
    public void HasValidCheck_CorrectCheckCharacter_IsTrue(string key)
    {
        Assert.True(CreditCode.IsWellFormed(key));
        Assert.True(CreditCode.HasValidCheck(key));
    }

    [Theory]
    [InlineData("911100007109283424")] // the check character would be U
    [InlineData("91350100M000100Y44")]
    [InlineData("91350100M000100Y4Y")]
    [InlineData("913205000000000021")]
    [InlineData("92110100000000000K")]
    public void HasValidCheck_WrongCheckCharacter_IsFalseButWellFormed(string key)
    {
        Assert.True(CreditCode.IsWellFormed(key));
        Assert.False(CreditCode.HasValidCheck(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y433")]
    [InlineData("91350100I000100Y43")]
    [InlineData("91350100O000100Y43")]
    [InlineData("91350100Z000100Y43")]
    [InlineData("91350100S000100Y43")]
    [InlineData("91350100V000100Y43")]
    [InlineData("91350100m000100y43")]
    [InlineData("91350100-000100Y43")]
    [InlineData("91350100 M000100Y4")]
    [InlineData("９1350100M000100Y43")]
    public void IsWellFormed_WrongLengthOrCharacter_IsFalse(string key)
    {
        Assert.False(CreditCode.IsWellFormed(key));
        Assert.False(CreditCode.HasValidCheck(key));
    }

    [Fact]
    public void IsWellFormed_Null_IsFalse()
    {
        Assert.False(CreditCode.IsWellFormed(null!));
        Assert.False(CreditCode.HasValidCheck(null!));
    }

    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData(" 91350100M000100Y43 ")]
    [InlineData("91350100m000100y43")]
    [InlineData("9135 0100 M000 100Y 43")]
    [InlineData("9135\u30000100M000100Y43")]
    [InlineData("９１３５０１００Ｍ０００１００Ｙ４３")]
    [InlineData("９１３５０１００ｍ０００１００ｙ４３")]
    [InlineData("\t91350100M000100Y43\r\n")]
    public void Key_SpellingsOfOneCode_AreTheUpperCaseCode(string code)
    {
        var key = CreditCode.Key(code);

        Assert.Equal("91350100M000100Y43", key);
        Assert.True(CreditCode.HasValidCheck(key!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    public void Key_Blank_IsNull(string? code)
    {
        Assert.Null(CreditCode.Key(code));
    }

    [Fact]
    public void Key_NotACode_IsKeptForTheCallerToRefuse()
    {
        var key = CreditCode.Key("abc-123");

        Assert.Equal("ABC-123", key);
        Assert.False(CreditCode.IsWellFormed(key!));
    }

    [Theory]
    [InlineData("91350100M000100Y4", '3')]
    [InlineData("91440300708461136", 'T')]
    [InlineData("91350100000000000", 'H')]
    [InlineData("91350100000000001", 'L')]
    [InlineData("00000000000000000", '0')]
    [InlineData("10000000000000000", 'Y')]
    public void CheckCharacter_KnownCodes_MatchTheEighteenth(string first17, char expected)
    {
        Assert.Equal(expected, CreditCode.CheckCharacter(first17));
    }
}
