using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class NameGramsTests
{
    private static IReadOnlyList<string> Of(string name) => NameGrams.Of(CompanyName.Normalize(name));

    [Fact]
    public void Of_ChineseName_IsTheBrandBigramBySoundAndTheBrandInPinyin()
    {
        Assert.Equal(["yun-fan", "=yunfan"], Of("深圳市云帆网络科技有限公司"));
    }

    [Fact]
    public void Of_LongerBrand_HasOneBigramPerPair()
    {
        Assert.Equal(["hua-chuang", "chuang-da", "=huachuangda"], Of("广东省深圳市华创达电子有限公司"));
    }

    [Theory]
    [InlineData("星辰科技有限公司")]
    [InlineData("星辰网络信息技术有限公司")]
    [InlineData("星辰国际贸易有限公司")]
    [InlineData("星辰（北京）科技集团有限公司")]
    public void Of_TradeWordsRegionAndForm_AreLeftOut(string name)
    {
        Assert.Equal(["xing-chen", "=xingchen"], Of(name));
    }

    [Fact]
    public void Of_QueryByCore_SharesTheGramsOfTheRegisteredName()
    {
        // The example: "苏宁电器" finds "江苏苏宁电器股份有限公司".
        Assert.Equal(Of("江苏苏宁电器股份有限公司"), Of("苏宁电器"));
        Assert.Contains("su-ning", Of("苏宁电器"));
    }

    [Fact]
    public void Of_TradeWordAdded_SharesTheGrams()
    {
        // The example: the index finds 云帆网络科技 for 云帆科技.
        Assert.Equal(Of("云帆科技"), Of("云帆网络科技有限公司"));
    }

    [Fact]
    public void Of_SameTradeOtherBrand_SharesNoGram()
    {
        Assert.Empty(Of("星辰科技有限公司").Intersect(Of("海岳科技有限公司")));
    }

    [Theory]
    [InlineData("星辰科技", "星晨科技")]
    [InlineData("腾讯科技", "腾迅科技")]
    [InlineData("腾讯科技", "騰訊科技")]
    public void Of_HomophonesAndTraditionalCharacters_HaveTheSameGrams(string a, string b)
    {
        Assert.Equal(Of(a), Of(b));
    }

    [Fact]
    public void Of_NameWithoutBrand_IsTheBigramsOfTheWholeKey()
    {
        Assert.Equal(["bei-jing", "jing-da", "da-xue"], Of("北京大学"));
        Assert.Equal(["zhong-guo", "guo-yin", "yin-xing"], Of("中国银行股份有限公司"));
    }

    [Fact]
    public void Of_LatinName_IsLetterTrigramsOfTheBrand()
    {
        Assert.Equal(["acm", "cme", "=acme"], Of("Acme Industrial Inc."));
        Assert.Equal(["abc", "=abc"], Of("ABC Trading Co., Ltd."));
    }

    [Fact]
    public void Of_RegisteredPinyinName_SharesTheSpelledOutGram()
    {
        Assert.Contains("=xingchen", Of("Xingchen Technology Co., Ltd."));
        Assert.Contains("=xingchen", Of("北京星辰科技有限公司"));
    }

    [Fact]
    public void Of_OneCharacterBrand_IsItsSyllable()
    {
        Assert.Equal(["hua", "=hua"], Of("华科技有限公司"));
    }

    [Fact]
    public void Of_VeryLongName_KeepsAtMostMaxGrams()
    {
        var grams = Of("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥科技有限公司");

        Assert.Equal(NameGrams.MaxGrams, grams.Count);
        Assert.StartsWith(NameGrams.SpelledOutMark.ToString(), grams[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Of_RepeatedBigram_IsListedOnce()
    {
        Assert.Equal(["xing-chen", "chen-xing", "=xingchenxingchen"], Of("星辰星辰科技"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("有限公司")]
    public void Of_NothingToIndex_IsEmpty(string name)
    {
        Assert.Empty(Of(name));
    }

    [Fact]
    public void Of_EveryLabelledName_IsShortAndDeterministic()
    {
        Assert.All(LabelledSet.Pairs.SelectMany(p => (string[])[p.A, p.B]), name =>
        {
            var grams = Of(name);

            Assert.InRange(grams.Count, 1, NameGrams.MaxGrams);
            Assert.Equal(grams, Of(name));
            Assert.Equal(grams.Count, grams.Distinct().Count());
        });
    }

    [Fact]
    public void Of_NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => NameGrams.Of(null!));
    }
}
