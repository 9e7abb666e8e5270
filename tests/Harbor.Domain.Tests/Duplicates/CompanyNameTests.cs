using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class CompanyNameTests
{
    [Theory]
    [InlineData("北京星辰科技有限公司")]
    [InlineData("北京市星辰科技有限公司")]
    [InlineData("星辰科技（北京）有限公司")]
    [InlineData("星辰科技(北京)有限责任公司")]
    [InlineData(" 北京 星辰 科技 有限公司 ")]
    [InlineData("北京星辰科技股份有限公司")]
    [InlineData("星辰科技有限公司")]
    [InlineData("星辰科技")]
    [InlineData("深圳星辰科技")]
    [InlineData("广东省深圳市星辰科技有限公司")]
    [InlineData("广东深圳星辰科技有限公司")]
    [InlineData("星辰科技有限公司（北京）")]
    [InlineData("（北京）星辰科技有限公司")]
    [InlineData("星辰科技（广东深圳）有限公司")]
    [InlineData("\t北京\u3000星辰\u00A0科技\n有限公司")]
    [InlineData("星·辰-科_技.有限公司")]
    public void Key_SpellingsOfOneCompany_AreAllTheCore(string name)
    {
        Assert.Equal("星辰科技", CompanyName.Key(name));
    }

    [Theory]
    [InlineData("星辰科技(北京)有限公司")]
    [InlineData("星辰科技（北京）有限公司")]
    [InlineData("星辰科技[北京]有限公司")]
    [InlineData("星辰科技［北京］有限公司")]
    [InlineData("星辰科技{北京}有限公司")]
    [InlineData("星辰科技【北京】有限公司")]
    [InlineData("星辰科技〔北京〕有限公司")]
    [InlineData("星辰科技《北京》有限公司")]
    [InlineData("星辰科技「北京」有限公司")]
    [InlineData("星辰科技『北京』有限公司")]
    [InlineData("星辰科技〈北京〉有限公司")]
    [InlineData("星辰科技〖北京〗有限公司")]
    [InlineData("星辰科技(北京市)有限公司")]
    [InlineData("星辰科技( 北京 )有限公司")]
    public void Key_RegionInBrackets_SameAsLeadingRegion(string name)
    {
        Assert.Equal(CompanyName.Key("北京星辰科技有限公司"), CompanyName.Key(name));
    }

    [Theory]
    [InlineData("星辰(华东)科技有限公司", "星辰华东科技")]
    [InlineData("星辰【华东】科技有限公司", "星辰华东科技")]
    [InlineData("星辰科技（集团）有限公司", "星辰科技")]
    [InlineData("星辰(北京朝阳)科技有限公司", "星辰北京朝阳科技")]
    [InlineData("星辰科技（有限公司", "星辰科技")]
    [InlineData("星辰科技）有限公司", "星辰科技")]
    public void Key_BracketWithoutRegion_KeepsTheContentDropsTheBrackets(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("ＡＢＣ科技有限公司", "abc科技")]
    [InlineData("abc科技有限公司", "abc科技")]
    [InlineData("ABC 科技 Co., Ltd.", "abc科技")]
    [InlineData("ABC科技Co.,Ltd", "abc科技")]
    [InlineData("ＡＢＣ 科技 ＣＯ．，ＬＴＤ．", "abc科技")]
    [InlineData("１２３科技有限公司", "123科技")]
    [InlineData("星辰３６０科技有限公司", "星辰360科技")]
    [InlineData("星辰360科技有限公司", "星辰360科技")]
    public void Key_FullWidthLettersAndDigits_FoldToAsciiLowerCase(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("星辰科技集团有限公司")]
    [InlineData("星辰科技集团股份有限公司")]
    [InlineData("星辰科技集团公司")]
    [InlineData("星辰科技集团")]
    [InlineData("星辰科技总公司")]
    [InlineData("星辰科技分公司")]
    [InlineData("星辰科技有限公司分公司")]
    [InlineData("星辰科技公司")]
    [InlineData("星辰科技工作室")]
    [InlineData("星辰科技商行")]
    [InlineData("星辰科技厂")]
    [InlineData("星辰科技集团（北京）有限公司")]
    public void Key_StackedChineseForms_AreAllStripped(string name)
    {
        Assert.Equal("星辰科技", CompanyName.Key(name));
    }

    [Theory]
    [InlineData("Acme Co., Ltd.")]
    [InlineData("Acme Co. Ltd")]
    [InlineData("ACME LTD")]
    [InlineData("Acme Limited")]
    [InlineData("Acme Company Limited")]
    [InlineData("Acme, Inc.")]
    [InlineData("Acme Corp.")]
    [InlineData("Acme Corporation")]
    [InlineData("Acme LLC")]
    [InlineData("Acme Group Co., Ltd.")]
    [InlineData("Acme Co.")]
    [InlineData("acme")]
    public void Key_LatinForms_AreStrippedAfterPunctuationRemoval(string name)
    {
        Assert.Equal("acme", CompanyName.Key(name));
    }

    [Theory]
    [InlineData("Zinc", "zinc")]
    [InlineData("Zinc Ltd", "zinc")]
    [InlineData("Tesco", "tesco")]
    [InlineData("Tesco Co., Ltd.", "tesco")]
    [InlineData("Bigcorp", "bigcorp")]
    [InlineData("Megagroup Limited", "megagroup")]
    public void Key_LatinFormInsideAWord_IsNotStripped(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("广东省深圳市星辰科技有限公司", "深圳市")]
    [InlineData("广东深圳星辰科技有限公司", "深圳市")]
    [InlineData("新疆维吾尔自治区乌鲁木齐市星辰科技有限公司", "乌鲁木齐市")]
    [InlineData("广西壮族自治区南宁市星辰科技有限公司", "南宁市")]
    [InlineData("广西南宁星辰科技有限公司", "南宁市")]
    [InlineData("湖北省恩施土家族苗族自治州星辰科技有限公司", "恩施土家族苗族自治州")]
    [InlineData("湖北恩施州星辰科技有限公司", "恩施土家族苗族自治州")]
    [InlineData("内蒙古兴安盟星辰科技有限公司", "兴安盟")]
    [InlineData("黑龙江省大兴安岭地区星辰科技有限公司", "大兴安岭地区")]
    [InlineData("吉林省吉林市星辰科技有限公司", "吉林市")]
    public void Normalize_ProvinceThenItsCity_StripsBoth(string name, string region)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.Equal(region, normalized.Region);
        Assert.Equal("星辰科技", normalized.Core);
        Assert.Equal("星辰科技", normalized.Key);
    }

    [Theory]
    [InlineData("北京市场营销有限公司", "市场营销")]
    [InlineData("北京市市场营销有限公司", "市场营销")]
    [InlineData("上海市场营销有限公司", "市场营销")]
    [InlineData("深圳市政工程有限公司", "市政工程")]
    [InlineData("深圳市市政工程有限公司", "市政工程")]
    [InlineData("广东省深圳市场营销有限公司", "市场营销")]
    public void Key_CityFollowedByMarketOrMunicipalWord_LeavesShiInTheCore(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("北京市朝阳区星辰科技有限公司", "朝阳区星辰科技")]
    [InlineData("广东省南宁市星辰科技有限公司", "南宁市星辰科技")]
    public void Key_CityOfAnotherProvinceAfterProvince_IsNotStripped(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("北京星辰科技有限公司", "北京市", "星辰科技", "有限公司")]
    [InlineData("星辰科技（北京）有限公司", "北京市", "星辰科技", "有限公司")]
    [InlineData("星辰科技集团股份有限公司", null, "星辰科技", "集团股份有限公司")]
    [InlineData("星辰科技集团有限公司", null, "星辰科技", "集团有限公司")]
    [InlineData("ABC Group Co., Ltd.", null, "abc", "groupcoltd")]
    [InlineData("广西星辰商贸", "广西壮族自治区", "星辰商贸", null)]
    [InlineData("星辰科技", null, "星辰科技", null)]
    [InlineData("深圳星辰科技（北京）", "深圳市", "星辰科技", null)]
    [InlineData("北京星辰科技（深圳）", "深圳市", "星辰科技", null)]
    public void Normalize_Name_SplitsRegionCoreAndForm(string name, string? region, string core, string? form)
    {
        Assert.Equal(new NormalizedCompanyName(region, core, form), CompanyName.Normalize(name));
    }

    [Theory]
    [InlineData("北京大学", "北京大学")]
    [InlineData("南京大学", "南京大学")]
    [InlineData("北京市大学", "北京大学")]
    [InlineData("中山大学", "中山大学")]
    [InlineData("广东省中山大学", "中山大学")]
    [InlineData("广西大学", "广西大学")]
    [InlineData("北京科技大学", "北京科技大学")]
    [InlineData("北京银行", "北京银行")]
    [InlineData("北京银行股份有限公司", "北京银行")]
    [InlineData("上海银行", "上海银行")]
    [InlineData("北京科技有限公司", "北京科技")]
    [InlineData("深圳市信息技术有限公司", "深圳信息技术")]
    [InlineData("上海国际贸易有限公司", "上海国际贸易")]
    [InlineData("北京市第一中学", "北京第一中学")]
    [InlineData("上海市第一中学", "上海第一中学")]
    [InlineData("深圳市第12小学", "深圳第12小学")]
    [InlineData("深圳市人民医院", "深圳人民医院")]
    [InlineData("大学（北京）", "北京大学")]
    [InlineData("北京研究院", "北京研究院")]
    public void Key_OnlyGenericWordsAfterRegion_KeepsRegionInFront(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("北京有限公司", "北京")]
    [InlineData("北京市", "北京")]
    [InlineData("北京", "北京")]
    [InlineData("广东省深圳市", "深圳")]
    [InlineData("(北京)有限公司", "北京")]
    public void Key_NothingButRegionAndForm_IsTheRegion(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("有限公司", "有限公司")]
    [InlineData("集团有限公司", "集团有限公司")]
    [InlineData("公司", "公司")]
    [InlineData("Co., Ltd.", "coltd")]
    [InlineData("Inc.", "inc")]
    public void Key_NothingButForm_KeepsTheForm(string name, string expected)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.Equal("", normalized.Core);
        Assert.Equal(expected, normalized.Key);
    }

    [Theory]
    [InlineData("中国银行", "中国银行")]
    [InlineData("中国银行股份有限公司", "中国银行")]
    [InlineData("中国建设银行股份有限公司", "中国建设银行")]
    [InlineData("中国星辰科技有限公司", "中国星辰科技")]
    [InlineData("中华星辰科技有限公司", "中华星辰科技")]
    public void Key_China_IsNotARegion(string name, string expected)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.Null(normalized.Region);
        Assert.Equal(expected, normalized.Key);
    }

    [Theory]
    [InlineData("星辰科技（中国）有限公司", "星辰科技")]
    [InlineData("阿里巴巴（中国）网络技术有限公司", "阿里巴巴网络技术")]
    [InlineData("（中国）星辰科技有限公司", "星辰科技")]
    [InlineData("联合利华(中国)有限公司", "联合利华")]
    [InlineData("中国银行（中国）", "中国银行")]
    [InlineData("星辰（中国北京）科技有限公司", "星辰中国北京科技")]
    public void Key_ChinaInBrackets_IsDroppedLikeABracketedRegion(string name, string expected)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.Null(normalized.Region);
        Assert.Equal(expected, normalized.Key);
    }

    [Theory]
    [InlineData("青岛啤酒股份有限公司", "青岛啤酒")]
    [InlineData("广州酒家集团股份有限公司", "广州酒家")]
    [InlineData("北京汽车集团有限公司", "北京汽车")]
    [InlineData("上海电气集团股份有限公司", "上海电气")]
    [InlineData("大同物流有限公司", "大同物流")]
    [InlineData("青岛星辰啤酒有限公司", "星辰啤酒")]
    public void Key_RegionBeforeATradeWordOnly_KeepsTheRegion(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("北京大学", "南京大学")]
    [InlineData("中国银行", "中国建设银行")]
    [InlineData("星辰科技有限公司", "星辰网络科技有限公司")]
    [InlineData("北京银行", "上海银行")]
    [InlineData("北京市第一中学", "上海市第一中学")]
    [InlineData("北京科技有限公司", "上海科技有限公司")]
    [InlineData("星辰北京科技有限公司", "星辰科技有限公司")]
    [InlineData("阿里巴巴网络技术有限公司", "巴巴网络技术有限公司")]
    public void Key_DifferentCompanies_Differ(string first, string second)
    {
        Assert.NotEqual(CompanyName.Key(first), CompanyName.Key(second));
    }

    [Theory]
    [InlineData("星辰北京科技有限公司", "星辰北京科技")]
    [InlineData("阿里巴巴网络技术有限公司", "阿里巴巴网络技术")]
    [InlineData("阿里地区星辰商贸有限公司", "星辰商贸")]
    public void Key_RegionNotLeadingAndNotBracketed_StaysInTheCore(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("A&B科技有限公司", "ab科技")]
    [InlineData("星辰·科技", "星辰科技")]
    [InlineData("星辰、科技", "星辰科技")]
    [InlineData("“星辰”科技", "星辰科技")]
    [InlineData("'星辰' \"科技\"", "星辰科技")]
    [InlineData("星辰—科技！", "星辰科技")]
    [InlineData("星辰+科技#", "星辰科技")]
    [InlineData("星辰\u200B科技", "星辰科技")]
    public void Key_PunctuationAndSymbols_AreRemoved(string name, string expected)
    {
        Assert.Equal(expected, CompanyName.Key(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    [InlineData("（）")]
    [InlineData("...")]
    public void Normalize_NothingToMatchOn_GivesEmptyKey(string name)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.Equal("", normalized.Core);
        Assert.Equal("", normalized.Key);
    }

    [Theory]
    [InlineData("\uD800")]
    [InlineData("星辰\uDC00科技")]
    [InlineData("星辰\uD800")]
    [InlineData("\0\u0001\u001F")]
    [InlineData("\uFFFF\uFFFE")]
    [InlineData("((((((北京")]
    [InlineData("))))北京((((")]
    [InlineData("ﷺ㍿㈱")]
    public void Normalize_OddInput_DoesNotThrow(string name)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.NotNull(normalized.Key);
    }

    [Fact]
    public void Normalize_UnpairedSurrogate_IsDropped()
    {
        Assert.Equal("星辰科技", CompanyName.Key("星辰\uDC00科技有限公司"));
    }

    [Fact]
    public void Normalize_VeryLongInput_DoesNotThrow()
    {
        var name = string.Concat(Enumerable.Repeat("星辰（北京）科技 Co., Ltd.", 1000));

        var key = CompanyName.Key(name);

        Assert.StartsWith("星辰科技coltd星辰科技", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_NameThatNfkcLengthens_IsCutToMaxLength()
    {
        var name = new string('㍿', CompanyName.MaxLength);

        var key = CompanyName.Key(name);

        Assert.Equal(CompanyName.MaxLength, key.Length);
        Assert.StartsWith("株式会社株式会社", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_CutInsideASurrogatePair_DropsTheWholeCharacter()
    {
        var name = "星" + string.Concat(Enumerable.Repeat("𠮷", CompanyName.MaxLength));

        var key = CompanyName.Key(name);

        Assert.Equal(CompanyName.MaxLength - 1, key.Length);
        Assert.True(char.IsLowSurrogate(key[^1]));
    }

    [Fact]
    public void Key_SupplementaryPlaneCharacter_IsKept()
    {
        Assert.Equal("𠮷野家", CompanyName.Key("北京𠮷野家有限公司"));
    }

    [Fact]
    public void Key_CompatibilityIdeographsAndCircledDigits_AreFolded()
    {
        // ① is NFKC 1; U+F900 is a compatibility ideograph for 豈.
        Assert.Equal("星辰1豈", CompanyName.Key("星辰①\uF900有限公司"));
    }

    [Theory]
    [InlineData("北京市", "大学", null, "北京大学")]
    [InlineData("北京市", "星辰", null, "星辰")]
    [InlineData(null, "", "有限公司", "有限公司")]
    [InlineData("广西壮族自治区", "", null, "广西")]
    [InlineData(null, "", null, "")]
    public void Key_ConstructedRecord_FollowsTheSameRule(string? region, string core, string? form, string expected)
    {
        Assert.Equal(expected, new NormalizedCompanyName(region, core, form).Key);
    }

    [Fact]
    public void Key_WithExpressionCopy_IsRecomputed()
    {
        var normalized = CompanyName.Normalize("北京星辰科技有限公司") with { Core = "大学" };

        Assert.Equal("北京大学", normalized.Key);
    }

    [Theory]
    [InlineData("北京星辰科技有限公司")]
    [InlineData("ABC 科技 Co., Ltd.")]
    [InlineData("北京大学")]
    public void Key_Shortcut_EqualsNormalizeKey(string name)
    {
        Assert.Equal(CompanyName.Normalize(name).Key, CompanyName.Key(name));
    }

    [Fact]
    public void Normalize_ManyNamesInParallel_AgreeWithSequentialResults()
    {
        string[] names = ["北京星辰科技有限公司", "星辰科技（广东深圳）有限公司", "北京大学", "中国银行", "ABC Co., Ltd."];
        var expected = names.Select(CompanyName.Key).ToArray();

        var results = Enumerable.Range(0, 2000).AsParallel().Select(i => CompanyName.Key(names[i % names.Length])).ToArray();

        for (var i = 0; i < results.Length; i++)
            Assert.Equal(expected[i % names.Length], results[i]);
    }
}
