using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("+86 138-0013-8000")]
    [InlineData("+8613800138000")]
    [InlineData("(+86) 138 0013 8000")]
    [InlineData("008613800138000")]
    [InlineData("0086 138 0013 8000")]
    [InlineData("8613800138000")]
    [InlineData("86-138-0013-8000")]
    [InlineData("１３８ ００１３ ８０００")]
    [InlineData("＋８６ １３８００１３８０００")]
    [InlineData("手机：138.0013.8000")]
    [InlineData(" 13800138000 ")]
    public void Key_MobileSpellings_AreTheElevenDigits(string phone)
    {
        Assert.Equal("13800138000", PhoneNumber.Key(phone));
    }

    [Theory]
    [InlineData("(010) 8888-6666")]
    [InlineData("010-88886666")]
    [InlineData("010 8888 6666")]
    [InlineData("（０１０）８８８８－６６６６")]
    [InlineData("010-88886666转123")]
    [InlineData("010-88886666 转 123")]
    [InlineData("010-88886666 ext. 12")]
    [InlineData("010-88886666 EXT 12")]
    [InlineData("010-88886666-ext 12")]
    [InlineData("010-88886666 x12")]
    [InlineData("010-88886666X12")]
    [InlineData("010-88886666 分机 8001")]
    [InlineData("010-88886666#123")]
    [InlineData("Tel: 010-88886666")]
    [InlineData("Fax 010-88886666 x12")]
    [InlineData("+86 10 8888 6666")]
    [InlineData("+86 (0)10 8888 6666")]
    [InlineData("0086 10 88886666")]
    public void Key_LandlineSpellings_AreAreaCodeAndNumber(string phone)
    {
        Assert.Equal("01088886666", PhoneNumber.Key(phone));
    }

    [Theory]
    [InlineData("+1 (415) 555-0100", "14155550100")]
    [InlineData("8601088886666", "8601088886666")]
    [InlineData("86 1380013800", "861380013800")]
    [InlineData("400-800-8888", "4008008888")]
    [InlineData("95588", "95588")]
    public void Key_OtherNumbers_KeepAllTheirDigits(string phone, string expected)
    {
        Assert.Equal(expected, PhoneNumber.Key(phone));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    [InlineData("无")]
    [InlineData("n/a")]
    [InlineData("转123")]
    [InlineData("ext. 12")]
    [InlineData("+")]
    public void Key_NoDigitsBeforeAnyExtension_IsNull(string? phone)
    {
        Assert.Null(PhoneNumber.Key(phone));
    }
}
