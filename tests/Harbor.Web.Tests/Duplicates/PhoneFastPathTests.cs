using System.Globalization;
using Harbor.Domain.Duplicates;
using Harbor.Web.Features.Customers;
using Xunit;

namespace Harbor.Web.Tests.Duplicates;

/// <summary>
/// <see cref="LibPhoneNumberParser.ChineseMobile"/> answers the commonest numbers without libphonenumber:
/// it must give exactly the library's E.164 wherever it answers. Checked over every 1xx prefix, bare and
/// after +86, with random and extreme subscriber digits (a library upgrade that reads a prefix otherwise
/// fails here, and the prefix then goes back to the library).
/// </summary>
public class PhoneFastPathTests
{
    [Fact]
    public void ChineseMobile_WhereItAnswers_GivesTheLibrarysE164()
    {
        var random = new Random(20261127);
        var answered = 0;
        for (var prefix = 100; prefix <= 199; prefix++)
        {
            var suffixes = Enumerable.Range(0, 100).Select(_ => random.Next(0, 100_000_000)).Concat([0, 99_999_999, 12_345_678]);
            foreach (var suffix in suffixes)
            {
                foreach (var form in new[] { "", "+86" })
                {
                    var number = form + prefix.ToString(CultureInfo.InvariantCulture) + suffix.ToString("D8", CultureInfo.InvariantCulture);
                    var fast = LibPhoneNumberParser.ChineseMobile(number, PhoneKeys.DefaultRegion);
                    if (fast is null)
                        continue;
                    answered++;
                    Assert.Equal(LibPhoneNumberParser.ByLibrary(number, PhoneKeys.DefaultRegion), fast);
                }
            }
        }

        // 13x-19x without 179: 69 prefixes, 103 numbers each, in two forms.
        Assert.Equal(69 * 103 * 2, answered);
    }

    [Theory]
    [InlineData("1380013800")] // ten digits
    [InlineData("138001380001")] // twelve
    [InlineData("12345678901")] // 12x: the library reads carrier codes there
    [InlineData("11012345678")]
    [InlineData("17951234567")] // 179xx: carrier selection
    [InlineData("+8617951234567")]
    [InlineData("02088886666")] // a landline with its trunk 0
    [InlineData("+85213800138000")]
    [InlineData("+1 3800138000")]
    [InlineData("8613800138000")] // 86 without +: the library's to read
    [InlineData("1380013800a")]
    public void ChineseMobile_OtherShapes_AreLeftToTheLibrary(string number) =>
        Assert.Null(LibPhoneNumberParser.ChineseMobile(number, PhoneKeys.DefaultRegion));

    [Fact]
    public void ChineseMobile_OnlyForChinaAsTheDefaultRegion() =>
        Assert.Null(LibPhoneNumberParser.ChineseMobile("13800138000", "US"));

    [Theory]
    [InlineData("13800138000")]
    [InlineData("+8613800138000")]
    [InlineData("19912345678")]
    [InlineData("17012345678")]
    [InlineData("17951234567")]
    [InlineData("12345678901")]
    [InlineData("02088886666")]
    [InlineData("8613800138000")]
    [InlineData("+14155550100")]
    public void ToE164_IsTheLibrarysAnswer(string number) =>
        Assert.Equal(LibPhoneNumberParser.ByLibrary(number, PhoneKeys.DefaultRegion), new LibPhoneNumberParser().ToE164(number, PhoneKeys.DefaultRegion));
}
