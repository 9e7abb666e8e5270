using System.Security.Cryptography;
using System.Text;
using Harbor.Domain.Duplicates;
using Harbor.Web.Features.Customers;
using Xunit;

namespace Harbor.Web.Tests.Duplicates;

/// <summary>
/// The phone keys as the host computes them: the domain's policy (extensions and labels dropped) over
/// libphonenumber behind <see cref="IPhoneNumberParser"/> (ADR-008). Pure and fast; no database.
/// </summary>
public class PhoneKeysTests
{
    private static readonly PhoneKeys PhoneNumber = LibPhoneNumberParser.Keys;

    // The fingerprint of the phone keys at DuplicateKeys.Version. A new libphonenumber (numbering plans change
    // every year) or a change to PhoneKeys can give another key for a stored number: this test then fails.
    // Bump DuplicateKeys.Version (stored keys are re-keyed at start) and copy the new fingerprint from the
    // failure message. Names, grams and credit codes have their fingerprint in the domain's DuplicateKeysTests.
    private const string Fingerprint = "1F6B8386FEC11BCA";

    private static readonly string[] FingerprintPhones =
    [
        "13800138000", "+86 138-0013-8000", "(010) 8888-6666", "010-88886666转123", "+1 (415) 555-0100",
        "400-800-8888", "95588", "0755-2688 8888", "86 1380013800", "无", "0571-85022088", "+852 2123 4567",
        "021 6888 8888 转 301", "001 415 555 0100", "0086 10 88886666", "17012345678", "19912345678",
    ];

    [Fact]
    public void Version_PhoneKeys_MatchTheFingerprintOfThisVersion()
    {
        var text = new StringBuilder(DuplicateKeys.Version).Append('\n');
        foreach (var phone in FingerprintPhones)
            text.Append(PhoneNumber.Key(phone)).Append('\n');
        var actual = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];

        Assert.True(actual == Fingerprint,
            $"The phone keys changed (fingerprint {actual}): bump DuplicateKeys.Version so that stored keys are re-keyed, then set Fingerprint = \"{actual}\".");
    }

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
    public void Key_MobileSpellings_AreOneE164Number(string phone)
    {
        Assert.Equal("+8613800138000", PhoneNumber.Key(phone));
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
    public void Key_LandlineSpellings_AreOneE164Number(string phone)
    {
        Assert.Equal("+861088886666", PhoneNumber.Key(phone));
    }

    [Theory]
    [InlineData("+1 (415) 555-0100", "+14155550100")]
    [InlineData("001 415 555 0100", "+14155550100")]
    [InlineData("+852 2123 4567", "+85221234567")]
    [InlineData("8601088886666", "+861088886666")]
    [InlineData("86 1380013800", "+861380013800")]
    [InlineData("400-800-8888", "+864008008888")]
    [InlineData("95588", "+8695588")]
    public void Key_OtherNumbers_AreE164WithChinaAsDefault(string phone, string expected)
    {
        Assert.Equal(expected, PhoneNumber.Key(phone));
    }

    [Theory]
    [InlineData("0755-2688 8888", "+86 755 2688 8888")]
    [InlineData("(0755) 26888888", "+86-755-26888888")]
    [InlineData("021 6888 8888 转 301", "+86 21 68888888")]
    [InlineData("(0571)8502-2088", "0086 571 8502 2088")]
    [InlineData("0571-85022088", "+86 (0571) 85022088")]
    [InlineData("139 1234 5678 转 8", "+86 139-1234-5678")]
    public void Key_LandlinesOfOtherCitiesAndExtensions_MatchInAnyCommonFormat(string a, string b)
    {
        Assert.Equal(PhoneNumber.Key(a), PhoneNumber.Key(b));
        Assert.StartsWith("+86", PhoneNumber.Key(a));
    }

    [Theory]
    [InlineData("010-88886666", "010-88886667")]
    [InlineData("010-88886666", "021-88886666")]
    [InlineData("13800138000", "13800138001")]
    [InlineData("010-88886666", "+1 010 8888 6666")]
    public void Key_DifferentNumbers_Differ(string a, string b)
    {
        Assert.NotEqual(PhoneNumber.Key(a), PhoneNumber.Key(b));
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
