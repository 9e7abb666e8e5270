using Harbor.Domain.Customers;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Workbook;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// The import's in-file duplicate check holds hashes of the accepted rows' keys, not the keys: a hash that
/// matches is checked against the first row's keys, so the answer is exact even when two keys share a hash.
/// </summary>
public sealed class ClaimedKeysTests
{
    private static UploadedRow Row(int row, string customer, string? phone = null, string? creditCode = null) =>
        new(row, customer, null, phone, null, null, null, creditCode, null, null);

    private static ValidCustomerDetails Details(UploadedRow row) =>
        new CustomerDetails(row.Customer, row.Phone, row.CreditCode, row.Contact, row.Address, row.Notes).Validate(LibPhoneNumberParser.Keys).Value!;

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // every key has the same hash
    public void FirstClaim_SameNamePhoneOrCode_NamesTheFirstRow_OtherwiseNone(bool oneHash)
    {
        var claimed = new ImportWorkbook.ClaimedKeys(oneHash ? _ => 42UL : null);
        var code = CreditCodes.Next();
        var first = Row(2, "北京星辰科技有限公司", "138-0013-8000");
        var second = Row(3, "上海云帆贸易有限公司", null, code);
        claimed.Claim("甲", first, Details(first));
        claimed.Claim("乙", second, Details(second));

        Assert.Equal(("甲", 2), claimed.FirstClaim(Details(Row(9, "星辰科技（北京）有限公司"))));
        Assert.Equal(("甲", 2), claimed.FirstClaim(Details(Row(9, "别的公司", "+86 13800138000"))));
        Assert.Equal(("乙", 3), claimed.FirstClaim(Details(Row(9, "又一家公司", null, code))));
        Assert.Equal(("乙", 3), claimed.FirstClaim(Details(Row(9, "上海云帆贸易有限公司"))));
        Assert.Null(claimed.FirstClaim(Details(Row(9, "深圳海岳物流有限公司", "13900139000", CreditCodes.Next()))));
        // A phone equal to a name's text is not that name: keys have kinds.
        Assert.Null(claimed.FirstClaim(Details(Row(9, "13800138000有限公司"))));

        var third = Row(4, "深圳海岳物流有限公司", "13900139000");
        claimed.Claim("乙", third, Details(third));
        Assert.Equal(("乙", 4), claimed.FirstClaim(Details(Row(9, "海岳物流", "13900139000"))));
        Assert.Equal(("甲", 2), claimed.FirstClaim(Details(Row(9, "北京星辰科技有限公司"))));
    }

    [Fact]
    public void Keys_CreditCodeThenNameThenPhone_OnlyThoseGiven()
    {
        var code = CreditCodes.Next();
        var all = Details(Row(2, "北京星辰科技有限公司", "138-0013-8000", code));
        var nameOnly = Details(Row(3, "上海云帆贸易有限公司"));
        var keys = new List<ImportWorkbook.Key>();
        foreach (var key in ImportWorkbook.Keys(all))
            keys.Add(key);

        Assert.Equal([new('c', all.CreditCodeKey!), new('n', all.NameKey), new('p', all.PhoneKey!)], keys);
        var only = new List<ImportWorkbook.Key>();
        foreach (var key in ImportWorkbook.Keys(nameOnly))
            only.Add(key);
        Assert.Equal([new ImportWorkbook.Key('n', nameOnly.NameKey)], only);
        Assert.True(ImportWorkbook.Keys(all).Contains(new('p', all.PhoneKey!)));
        Assert.False(ImportWorkbook.Keys(nameOnly).Contains(new('p', all.PhoneKey!)));
        // A phone equal to a name's text is not that name: keys have kinds.
        Assert.False(ImportWorkbook.Keys(all).Contains(new('n', all.PhoneKey!)));
    }
}
