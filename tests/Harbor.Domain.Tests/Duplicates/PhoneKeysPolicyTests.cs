using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

/// <summary>
/// What counts as the number is the policy's (rule 3: one switchboard is one company); the numbering plan is
/// the parser's. These tests hold the policy part, with a stand-in parser that records what it is given.
/// </summary>
public class PhoneKeysPolicyTests
{
    private static (string? Key, List<string> Asked) KeyOf(string? phone)
    {
        var parser = new TestPhones();
        return (new PhoneKeys(parser).Key(phone), parser.Asked);
    }

    [Theory]
    [InlineData("010-88886666转123")]
    [InlineData("010-88886666 分机 8001")]
    [InlineData("010-88886666 ext. 12")]
    [InlineData("010-88886666-EXT 12")]
    [InlineData("010-88886666 x12")]
    [InlineData("010-88886666#123")]
    public void Key_Extension_IsDroppedBeforeTheParserSeesTheNumber(string phone)
    {
        var (_, asked) = KeyOf(phone);

        Assert.Equal(["01088886666"], asked);
    }

    [Theory]
    [InlineData("Tel: 010-88886666", "01088886666")]
    [InlineData("Fax 010-88886666 x12", "01088886666")]
    [InlineData("手机：138.0013.8000", "13800138000")]
    [InlineData("（０１０）８８８８－６６６６", "01088886666")]
    [InlineData("+86 (0)10 8888 6666", "+860108888666" + "6")]
    [InlineData("No.#12345678", "12345678")]
    public void Key_LabelsAndPunctuation_AreNotPartOfTheNumber(string phone, string expected)
    {
        var (_, asked) = KeyOf(phone);

        Assert.Equal([expected], asked);
    }

    [Fact]
    public void Key_NumberTheParserCannotRead_KeepsItsDigitsSoItStillMatchesItself()
    {
        var (key, _) = KeyOf("1234");

        Assert.Equal("1234", key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("无")]
    [InlineData("转123")]
    [InlineData("+")]
    public void Key_NoDigitsBeforeAnyExtension_IsNullAndTheParserIsNotAsked(string? phone)
    {
        var (key, asked) = KeyOf(phone);

        Assert.Null(key);
        Assert.Empty(asked);
    }

    [Theory]
    [InlineData("+8695588", false)]
    [InlineData("+861234", true)]
    [InlineData("1234", true)]
    [InlineData("12345", false)]
    public void IsTooShort_FewerThanFiveDigitsAfterChinasCode(string key, bool tooShort)
    {
        Assert.Equal(tooShort, PhoneKeys.IsTooShort(key));
    }
}
