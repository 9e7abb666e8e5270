using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class NameSimilarityTests
{
    private static double Score(string a, string b) => NameSimilarity.Score(CompanyName.Normalize(a), CompanyName.Normalize(b));

    private static bool Flagged(string a, string b) => NameSimilarity.IsLikelyDuplicate(CompanyName.Normalize(a), CompanyName.Normalize(b));

    [Fact]
    public void IsLikelyDuplicate_TradeWordAdded_IsFlagged()
    {
        // The issue's example.
        Assert.True(Flagged("深圳市云帆科技有限公司", "云帆网络科技"));
    }

    [Fact]
    public void IsLikelyDuplicate_SameTradeOtherBrand_IsNotFlagged()
    {
        // The issue's example: only the trade word is shared.
        Assert.Equal(0, Score("星辰科技有限公司", "海岳科技有限公司"));
        Assert.False(Flagged("星辰科技有限公司", "海岳科技有限公司"));
    }

    [Fact]
    public void Score_QueryByCore_FindsTheRegisteredName()
    {
        // The issue's example: "苏宁电器" finds "江苏苏宁电器股份有限公司" (the region and the form go).
        Assert.Equal(1, Score("苏宁电器", "江苏苏宁电器股份有限公司"));
    }

    [Theory]
    [InlineData("星辰科技有限公司", "星辰信息科技有限公司")]
    [InlineData("楚天鸿运物流有限公司", "楚天鸿运")]
    [InlineData("明德教育科技有限公司", "明德教育咨询有限公司")]
    [InlineData("云帆科技有限公司", "云帆贸易有限公司")]
    [InlineData("黔香食品有限公司", "黔香食品贸易有限公司")]
    public void IsLikelyDuplicate_TradeWordsAddedDroppedOrCompatible_IsFlagged(string a, string b)
    {
        Assert.True(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Theory]
    [InlineData("星辰科技有限公司", "星晨科技")]
    [InlineData("腾讯科技（深圳）有限公司", "深圳市腾迅科技")]
    [InlineData("顺丰速运有限公司", "顺风速运")]
    [InlineData("阿里巴巴网络技术有限公司", "阿里爸爸网络")]
    public void IsLikelyDuplicate_HomophoneTypo_IsFlagged(string a, string b)
    {
        Assert.True(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Theory]
    [InlineData("金盛投资管理有限公司", "金晟建材有限公司")]
    [InlineData("星辰投资有限公司", "星晨物流有限公司")]
    public void IsLikelyDuplicate_HomophoneBrandsWithNoGenericWordInCommon_IsNotFlagged(string a, string b)
    {
        // Alike only by sound, and the rest of the names share nothing: two companies, as likely as a slip.
        Assert.False(Flagged(a, b), $"{Score(a, b):0.00}");
        Assert.Equal(NameSimilarity.SoundOnlyWeight * NameSimilarity.TradeConflictFactor, Score(a, b), 6);
    }

    [Theory]
    [InlineData("星辰科技有限公司", "星晨")]
    [InlineData("阿里巴巴网络技术有限公司", "阿里爸爸网络")]
    [InlineData("蜀香园餐饮管理有限公司", "蜀湘园餐饮")]
    public void IsLikelyDuplicate_HomophoneWithGenericWordsLeftOutOrShared_IsFlagged(string a, string b)
    {
        // A generic word left out, or a compound and its part (网络技术, 网络), is the rest of the name agreeing.
        Assert.True(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Fact]
    public void Score_SameBrandWithNoGenericWordInCommon_IsNotReduced()
    {
        // The factor is for brands alike by sound only; the same characters with broad words stay a likely duplicate.
        Assert.True(Flagged("金盛投资管理有限公司", "金盛建材有限公司"), $"{Score("金盛投资管理有限公司", "金盛建材有限公司"):0.00}");
    }

    [Fact]
    public void Score_HomophoneTypo_ScoresBelowTheExactName()
    {
        Assert.True(Score("星辰科技", "星晨科技") < Score("星辰科技", "星辰网络科技"));
        Assert.Equal(NameSimilarity.SoundOnlyWeight, Score("星辰科技", "星晨科技"), 6);
    }

    [Theory]
    [InlineData("云帆科技有限公司", "云海科技有限公司")]
    [InlineData("美团科技有限公司", "美图科技有限公司")]
    [InlineData("云帆网络科技有限公司", "远帆网络科技有限公司")]
    public void IsLikelyDuplicate_TwoCharacterBrandsOneCharacterApart_IsNotFlagged(string a, string b)
    {
        // Not a homophone, so not an input-method slip: another brand.
        Assert.False(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Theory]
    [InlineData("华创达电子有限公司", "华华创达电子")]
    [InlineData("楚天鸿运物流有限公司", "楚天鸿物流")]
    [InlineData("湘盛农业发展有限公司", "湘盛农业发发展")]
    public void IsLikelyDuplicate_CharacterDoubledOrDroppedInALongerBrand_IsFlagged(string a, string b)
    {
        Assert.True(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Fact]
    public void IsLikelyDuplicate_WordsSwapped_IsFlagged()
    {
        Assert.True(Flagged("星辰云帆科技有限公司", "云帆星辰科技"));
    }

    [Theory]
    [InlineData("瑞祥贸易有限公司", "祥瑞贸易有限公司")]
    [InlineData("华联超市股份有限公司", "联华超市股份有限公司")]
    public void IsLikelyDuplicate_TwoCharacterBrandReversed_IsNotFlagged(string a, string b)
    {
        Assert.False(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Theory]
    [InlineData("海岳电子有限公司", "海岳食品有限公司")]
    [InlineData("星辰文化传媒有限公司", "星辰物流有限公司")]
    [InlineData("云帆科技有限公司", "云帆餐饮管理有限公司")]
    [InlineData("Asia Pacific Logistics Co., Ltd.", "Asia Pacific Trading Co., Ltd.")]
    public void IsLikelyDuplicate_SameBrandOtherLineOfBusiness_IsNotFlagged(string a, string b)
    {
        Assert.Equal(NameSimilarity.TradeConflictFactor, Score(a, b), 6);
        Assert.False(Flagged(a, b));
    }

    [Theory]
    [InlineData("北京大学", "南京大学")]
    [InlineData("中国银行", "中国建设银行")]
    [InlineData("北京银行", "上海银行")]
    [InlineData("北京市第一中学", "北京市第二中学")]
    [InlineData("青岛啤酒股份有限公司", "重庆啤酒股份有限公司")]
    public void IsLikelyDuplicate_NamesOfRegionAndTradeOnly_IsNotFlagged(string a, string b)
    {
        Assert.False(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Theory]
    [InlineData("北京云帆科技有限公司", "云帆网络科技（上海）股份有限公司")]
    [InlineData("云帆科技", "广东省深圳市云帆网络科技有限责任公司")]
    [InlineData("云帆科技集团", "云帆网络科技有限公司")]
    public void Score_RegionAndForm_DoNotChangeTheScore(string a, string b)
    {
        Assert.Equal(Score("云帆科技", "云帆网络科技"), Score(a, b), 6);
    }

    [Theory]
    [InlineData("广州市天河区华创电子商行", "华创电子")]
    [InlineData("明德教育科技有限公司上海分公司", "明德教育科技有限公司")]
    [InlineData("云帆科技有限公司", "云帆科技深圳")]
    public void IsLikelyDuplicate_DistrictBranchOrTrailingCity_IsFlagged(string a, string b)
    {
        Assert.True(Flagged(a, b), $"{Score(a, b):0.00}");
    }

    [Theory]
    [InlineData("騰訊科技有限公司", "腾讯科技")]
    [InlineData("鴻海精密工業股份有限公司", "鸿海精密工业")]
    public void Score_TraditionalCharacters_AreTheSimplifiedOnes(string a, string b)
    {
        Assert.Equal(1, Score(a, b));
    }

    [Theory]
    [InlineData("星辰科技有限公司", "Xingchen Technology Co., Ltd.")]
    [InlineData("华为技术有限公司", "Huawei Technologies Co., Ltd.")]
    public void IsLikelyDuplicate_RegisteredPinyinName_IsFlagged(string a, string b)
    {
        Assert.Equal(NameSimilarity.TransliterationScore, Score(a, b), 6);
    }

    [Theory]
    [InlineData("Acme Industrial Inc.", "Acmee Industrial", true)]
    [InlineData("ABC Trading Co., Ltd.", "ABC International Trading Co., Ltd.", true)]
    [InlineData("Bright Star Technology Co., Ltd.", "Brightstar Tech", true)]
    [InlineData("Sunrise Electronics Corp.", "Sunset Electronics Corp.", false)]
    [InlineData("ABC Trading Co., Ltd.", "ABD Trading Co., Ltd.", false)]
    public void IsLikelyDuplicate_LatinNames_ByLetterTrigrams(string a, string b, bool expected)
    {
        Assert.Equal(expected, Flagged(a, b));
    }

    [Theory]
    [InlineData("北京星辰科技有限公司", "星辰科技（北京）有限公司")]
    [InlineData("", "")]
    public void Score_SameKey_IsOne(string a, string b)
    {
        Assert.Equal(1, Score(a, b));
    }

    [Theory]
    [InlineData("", "星辰科技")]
    [InlineData("有限公司", "星辰科技")]
    [InlineData("...", "北京大学")]
    public void Score_NameWithNothingToCompare_IsZero(string a, string b)
    {
        Assert.Equal(0, Score(a, b));
        Assert.Equal(0, Score(b, a));
    }

    [Fact]
    public void Score_EveryLabelledPair_IsSymmetricAndInRange()
    {
        Assert.All(LabelledSet.Pairs, pair =>
        {
            var forward = NameSimilarity.Score(pair.NormalizedA, pair.NormalizedB);
            var backward = NameSimilarity.Score(pair.NormalizedB, pair.NormalizedA);

            Assert.InRange(forward, 0, 1);
            Assert.Equal(forward, backward, 9);
        });
    }

    [Fact]
    public void Score_VeryLongNames_DoNotThrow()
    {
        var name = string.Concat(Enumerable.Repeat("星辰云帆海岳天成", 100));

        Assert.Equal(1, Score(name, name));
        Assert.InRange(Score(name, name + "科技"), 0, 1);
        Assert.InRange(Score(name + "𠮷", name), 0, 1);
    }

    [Fact]
    public void Score_RandomNames_StayInRangeAndDoNotThrow()
    {
        const string Alphabet = "星辰云帆科技网络有限公司北京市（）() 中国大学银行华为abcXYZ0１２·-𠮷\uD800\u3000騰訊区县第一";
        var random = new Random(20240606);
        for (var i = 0; i < 5000; i++)
        {
            var a = CompanyName.Normalize(RandomName(random, Alphabet));
            var b = CompanyName.Normalize(RandomName(random, Alphabet));

            Assert.InRange(NameSimilarity.Score(a, b), 0, 1);
            Assert.True(NameGrams.Of(a).Count <= NameGrams.MaxGrams);
        }
    }

    [Fact]
    public void Score_RecordBuiltByHandWithALoneSurrogate_DoesNotThrow()
    {
        var odd = new NormalizedCompanyName(null, "星\uD800辰", null);

        Assert.InRange(NameSimilarity.Score(odd, CompanyName.Normalize("星辰")), 0, 1);
        Assert.NotEmpty(NameGrams.Of(odd));
    }

    private static string RandomName(Random random, string alphabet)
    {
        var chars = new char[random.Next(0, 24)];
        for (var k = 0; k < chars.Length; k++)
            chars[k] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    [Fact]
    public void Score_NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => NameSimilarity.Score(null!, CompanyName.Normalize("星辰")));
        Assert.Throws<ArgumentNullException>(() => NameSimilarity.Score(CompanyName.Normalize("星辰"), null!));
    }

    [Fact]
    public void Threshold_IsBetweenTheOneCharacterContainmentsAndTheHomophones()
    {
        // 0.67: a two-character brand inside a three-character one (京东, 京东方), mostly another brand;
        // 0.85: a homophone typo. The labelled set puts the threshold in this gap.
        Assert.InRange(NameSimilarity.Threshold, 0.68, NameSimilarity.SoundOnlyWeight);
        Assert.False(Flagged("京东", "京东方科技集团股份有限公司"));
    }
}
