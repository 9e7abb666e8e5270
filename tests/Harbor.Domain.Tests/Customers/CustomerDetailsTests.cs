using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;

namespace Harbor.Domain.Tests.Customers;

public class CustomerDetailsTests
{
    private const string GbAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] GbWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    // The 17 leading characters of unified social credit codes; the 18th is computed by GB 32100-2015.
    private const string Shenzhen17 = "91440300708461136";
    private const string Fuzhou17 = "91350100M000100Y4";

    /// <summary>GB 32100-2015: the check character makes the weighted sum a multiple of 31.</summary>
    private static string WithCheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += GbAlphabet.IndexOf(first17[i], StringComparison.Ordinal) * GbWeights[i];
        return first17 + GbAlphabet[(31 - sum % 31) % 31];
    }

    private static string WithWrongCheckCharacter(string first17)
    {
        var right = WithCheckCharacter(first17)[^1];
        return first17 + (right == '0' ? '1' : '0');
    }

    private static CustomerDetails Named(string? name) => new(name, null, null, null, null, null);

    private static ValidCustomerDetails Valid(CustomerDetails details)
    {
        var result = details.Validate(TestPhones.Keys);
        Assert.True(result.Succeeded, $"refused: {result.Refusal}");
        return result.Value;
    }

    private static IReadOnlyDictionary<string, string[]> Errors(CustomerDetails details)
    {
        var result = details.Validate(TestPhones.Keys);
        Assert.False(result.Succeeded);
        return Assert.IsType<Refusal.ValidationFailed>(result.Refusal).Errors;
    }

    [Fact]
    public void WithCheckCharacter_KnownCodes_MatchTheGbAlgorithm()
    {
        Assert.Equal("91440300708461136T", WithCheckCharacter(Shenzhen17));
        Assert.Equal("91350100M000100Y43", WithCheckCharacter(Fuzhou17));
    }

    [Fact]
    public void Validate_NameOnly_Succeeds()
    {
        var details = Valid(Named("北京星辰科技有限公司"));

        Assert.Equal("北京星辰科技有限公司", details.Name);
        Assert.Null(details.Phone);
        Assert.Null(details.PhoneKey);
        Assert.Null(details.CreditCode);
        Assert.Null(details.CreditCodeKey);
        Assert.Empty(details.Warnings);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\u3000\n")]
    public void Validate_MissingOrBlankName_ValidationFailedOnCustomerName(string? name)
    {
        var errors = Errors(Named(name));

        Assert.Equal(["customer.name"], errors.Keys);
    }

    [Fact]
    public void Validate_NameLongerThanMaxLength_ValidationFailedOnCustomerName()
    {
        var errors = Errors(Named(new string('星', CompanyName.MaxLength + 1)));

        Assert.Equal(["customer.name"], errors.Keys);
    }

    [Fact]
    public void Validate_NameOfMaxLength_Succeeds()
    {
        Assert.Equal(CompanyName.MaxLength, Valid(Named(new string('星', CompanyName.MaxLength))).Name.Length);
    }

    [Fact]
    public void Validate_NameOfMaxLengthWithSurroundingSpaces_SucceedsTrimmed()
    {
        var name = new string('星', CompanyName.MaxLength);

        Assert.Equal(name, Valid(Named("  " + name + "  ")).Name);
    }

    [Theory]
    [InlineData("！！！")]
    [InlineData("()-.")]
    public void Validate_NameOfPunctuationOnly_ValidationFailedOnCustomerName(string name)
    {
        Assert.Equal(["customer.name"], Errors(Named(name)).Keys);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1234")]
    [InlineData("电话：待定")]
    public void Validate_PhoneThatIsNotANumber_ValidationFailedOnCustomerPhone(string phone)
    {
        var errors = Errors(new CustomerDetails("星辰科技有限公司", phone, null, null, null, null));

        Assert.Equal(["customer.phone"], errors.Keys);
    }

    [Fact]
    public void Validate_PhoneLongerThanMaxLength_ValidationFailedOnCustomerPhone()
    {
        var phone = new string('1', CustomerDetails.MaxPhoneLength + 1);

        Assert.Equal(["customer.phone"], Errors(new CustomerDetails("星辰科技有限公司", phone, null, null, null, null)).Keys);
    }

    [Fact]
    public void Validate_MobileWithCountryCode_KeyIsTheElevenDigits()
    {
        var details = Valid(new CustomerDetails("星辰科技有限公司", " +86 138-0013-8000 ", null, null, null, null));

        Assert.Equal("+86 138-0013-8000", details.Phone);
        Assert.Equal("+8613800138000", details.PhoneKey);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y433")]
    [InlineData("91350100I000100Y43")]
    [InlineData("91350100-000100Y43")]
    public void Validate_MalformedCreditCode_ValidationFailedOnCustomerCreditCode(string code)
    {
        var errors = Errors(new CustomerDetails("星辰科技有限公司", null, code, null, null, null));

        Assert.Equal(["customer.creditCode"], errors.Keys);
    }

    [Fact]
    public void Validate_CreditCodeWithRightCheckCharacter_SucceedsWithoutWarning()
    {
        var code = WithCheckCharacter(Shenzhen17);

        var details = Valid(new CustomerDetails("星辰科技有限公司", null, code, null, null, null));

        Assert.Equal(code, details.CreditCodeKey);
        Assert.Empty(details.Warnings);
    }

    // Some early codes are legal yet fail the check: warn, never refuse.
    [Theory]
    [InlineData(Shenzhen17)]
    [InlineData(Fuzhou17)]
    public void Validate_WellFormedCreditCodeWithWrongCheckCharacter_SucceedsWithWarning(string first17)
    {
        var code = WithWrongCheckCharacter(first17);

        var details = Valid(new CustomerDetails("星辰科技有限公司", null, code, null, null, null));

        Assert.Equal(code, details.CreditCodeKey);
        Assert.Equal(["credit-code-check-failed"], details.Warnings);
    }

    [Fact]
    public void Validate_CreditCodeLowerCaseWithSpaces_KeyIsUpperCaseWithoutSpaces()
    {
        var code = WithCheckCharacter(Fuzhou17);
        var spelled = " " + code[..8].ToLowerInvariant() + " " + code[8..].ToLowerInvariant() + " ";

        var details = Valid(new CustomerDetails("星辰科技有限公司", null, spelled, null, null, null));

        Assert.Equal(code, details.CreditCodeKey);
        Assert.Empty(details.Warnings);
    }

    [Fact]
    public void Validate_BlankOptionalFields_AreNull()
    {
        var details = Valid(new CustomerDetails("星辰科技有限公司", "  ", "\t", " ", "", "\n"));

        Assert.Null(details.Phone);
        Assert.Null(details.PhoneKey);
        Assert.Null(details.CreditCode);
        Assert.Null(details.CreditCodeKey);
        Assert.Null(details.ContactName);
        Assert.Null(details.Address);
        Assert.Null(details.Notes);
    }

    [Fact]
    public void Validate_SurroundingWhitespace_IsTrimmedFromEveryField()
    {
        var details = Valid(new CustomerDetails("  星辰科技有限公司\t", " 010-8888 6666 ", null, " 张三 ", " 北京市海淀区 ", " 下周回访 "));

        Assert.Equal("星辰科技有限公司", details.Name);
        Assert.Equal("010-8888 6666", details.Phone);
        Assert.Equal("+861088886666", details.PhoneKey);
        Assert.Equal("张三", details.ContactName);
        Assert.Equal("北京市海淀区", details.Address);
        Assert.Equal("下周回访", details.Notes);
    }

    [Theory]
    [InlineData("customer.contactName")]
    [InlineData("customer.address")]
    [InlineData("customer.notes")]
    public void Validate_OptionalFieldLongerThanItsMaximum_ValidationFailedOnThatField(string field)
    {
        var details = field switch
        {
            "customer.contactName" => new CustomerDetails("星辰科技有限公司", null, null, new string('张', CustomerDetails.MaxContactNameLength + 1), null, null),
            "customer.address" => new CustomerDetails("星辰科技有限公司", null, null, null, new string('路', CustomerDetails.MaxAddressLength + 1), null),
            _ => new CustomerDetails("星辰科技有限公司", null, null, null, null, new string('记', CustomerDetails.MaxNotesLength + 1)),
        };

        Assert.Equal([field], Errors(details).Keys);
    }

    [Fact]
    public void Validate_OptionalFieldsAtTheirMaximumWithSpaces_Succeed()
    {
        Valid(new CustomerDetails(
            "星辰科技有限公司",
            null,
            null,
            " " + new string('张', CustomerDetails.MaxContactNameLength) + " ",
            new string('路', CustomerDetails.MaxAddressLength),
            new string('记', CustomerDetails.MaxNotesLength)));
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsEveryOne()
    {
        var errors = Errors(new CustomerDetails(" ", "abc", "123", null, null, null));

        Assert.Equal(["customer.creditCode", "customer.name", "customer.phone"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors.Values, messages => Assert.NotEmpty(Assert.Single(messages)));
    }

    [Fact]
    public void Validate_OneCompanyTwoSpellings_SameNameKey()
    {
        var plain = Valid(Named("北京星辰科技有限公司"));
        var bracketed = Valid(Named("星辰科技（北京）有限公司"));

        Assert.Equal(plain.NameKey, bracketed.NameKey);
        Assert.NotEqual(plain.Name, bracketed.Name);
    }

    [Fact]
    public void Validate_Name_KeyIsTheCompanyNameKey()
    {
        Assert.Equal(CompanyName.Key("北京星辰科技有限公司"), Valid(Named("  北京星辰科技有限公司 ")).NameKey);
    }

    [Fact]
    public void Validate_TwoCompaniesDifferingOnlyByRegion_DifferentNameKeys()
    {
        Assert.NotEqual(Valid(Named("北京大学")).NameKey, Valid(Named("南京大学")).NameKey);
    }
}
