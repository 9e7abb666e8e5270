using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class RegionsTests
{
    [Fact]
    public void All_DataFile_HasEveryProvinceAndPrefectureLevelDivision()
    {
        // 23 provinces (with Taiwan), 5 autonomous regions, 4 municipalities, 2 SARs;
        // 293 prefecture-level cities, 7 prefectures, 30 autonomous prefectures, 3 leagues.
        var provinces = Regions.All.Where(r => r.Level == RegionLevel.Province).ToList();
        var prefectures = Regions.All.Where(r => r.Level == RegionLevel.Prefecture).ToList();

        Assert.Equal(34, provinces.Count);
        Assert.Equal(23, provinces.Count(r => r.Name.EndsWith('省')));
        Assert.Equal(5, provinces.Count(r => r.Name.EndsWith("自治区", StringComparison.Ordinal)));
        Assert.Equal(4, provinces.Count(r => r.Name.EndsWith('市')));
        Assert.Equal(2, provinces.Count(r => r.Name.EndsWith("特别行政区", StringComparison.Ordinal)));
        Assert.Equal(333, prefectures.Count);
        Assert.Equal(293, prefectures.Count(r => r.Name.EndsWith('市')));
        Assert.Equal(7, prefectures.Count(r => r.Name.EndsWith("地区", StringComparison.Ordinal)));
        Assert.Equal(30, prefectures.Count(r => r.Name.EndsWith("自治州", StringComparison.Ordinal)));
        Assert.Equal(3, prefectures.Count(r => r.Name.EndsWith('盟')));
    }

    [Fact]
    public void All_Names_AreUnique()
    {
        Assert.Equal(Regions.All.Count, Regions.All.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_Prefectures_BelongToAListedProvince()
    {
        var provinces = Regions.All.Where(r => r.Level == RegionLevel.Province).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(Regions.All, r =>
        {
            if (r.Level == RegionLevel.Prefecture)
                Assert.Contains(r.Province!, provinces);
            else
                Assert.Null(r.Province);
        });
    }

    [Fact]
    public void All_ShortNames_HaveAtLeastTwoCharactersAndNoSuffix()
    {
        Assert.All(Regions.All, r =>
        {
            Assert.True(r.ShortName.Length >= 2, r.Name);
            Assert.DoesNotContain("自治", r.ShortName, StringComparison.Ordinal);
            Assert.False(r.ShortName.EndsWith('族'), r.Name);
        });
    }

    [Theory]
    [InlineData("北京市", "北京")]
    [InlineData("重庆市", "重庆")]
    [InlineData("河北省", "河北")]
    [InlineData("黑龙江省", "黑龙江")]
    [InlineData("台湾省", "台湾")]
    [InlineData("广西壮族自治区", "广西")]
    [InlineData("宁夏回族自治区", "宁夏")]
    [InlineData("新疆维吾尔自治区", "新疆")]
    [InlineData("内蒙古自治区", "内蒙古")]
    [InlineData("西藏自治区", "西藏")]
    [InlineData("香港特别行政区", "香港")]
    [InlineData("澳门特别行政区", "澳门")]
    [InlineData("深圳市", "深圳")]
    [InlineData("乌鲁木齐市", "乌鲁木齐")]
    [InlineData("大兴安岭地区", "大兴安岭")]
    [InlineData("阿克苏地区", "阿克苏")]
    [InlineData("兴安盟", "兴安")]
    [InlineData("锡林郭勒盟", "锡林郭勒")]
    [InlineData("恩施土家族苗族自治州", "恩施")]
    [InlineData("延边朝鲜族自治州", "延边")]
    [InlineData("黔西南布依族苗族自治州", "黔西南")]
    [InlineData("红河哈尼族彝族自治州", "红河")]
    [InlineData("德宏傣族景颇族自治州", "德宏")]
    [InlineData("怒江傈僳族自治州", "怒江")]
    [InlineData("海西蒙古族藏族自治州", "海西")]
    [InlineData("博尔塔拉蒙古自治州", "博尔塔拉")]
    [InlineData("克孜勒苏柯尔克孜自治州", "克孜勒苏")]
    [InlineData("伊犁哈萨克自治州", "伊犁")]
    [InlineData("昌吉回族自治州", "昌吉")]
    public void ShortNameOf_FullName_DropsSuffixAndEthnicWords(string name, string expected)
    {
        Assert.Equal(expected, Regions.ShortNameOf(name));
    }

    [Theory]
    [InlineData("星辰")]
    [InlineData("中国")]
    public void ShortNameOf_NotARegion_ReturnsTheText(string text)
    {
        Assert.Equal(text, Regions.ShortNameOf(text));
    }

    [Theory]
    [InlineData("吉林", "吉林省")]
    [InlineData("吉林省", "吉林省")]
    [InlineData("吉林市", "吉林市")]
    [InlineData("海南", "海南省")]
    [InlineData("海南州", "海南藏族自治州")]
    [InlineData("海南藏族自治州", "海南藏族自治州")]
    [InlineData("恩施州", "恩施土家族苗族自治州")]
    [InlineData("恩施自治州", "恩施土家族苗族自治州")]
    [InlineData("广西自治区", "广西壮族自治区")]
    [InlineData("广西", "广西壮族自治区")]
    [InlineData("阿里地区", "阿里地区")]
    public void Find_NameOrVariant_FindsTheDivision(string name, string expected)
    {
        Assert.Equal(expected, Regions.Find(name)?.Name);
    }

    [Theory]
    [InlineData("中国")]
    [InlineData("中华")]
    [InlineData("阿里")]
    [InlineData("朝阳区")]
    [InlineData("")]
    public void Find_NotARegion_ReturnsNull(string name)
    {
        Assert.Null(Regions.Find(name));
    }

    [Fact]
    public void Find_EveryFullAndShortName_FindsADivision()
    {
        Assert.All(Regions.All, r =>
        {
            Assert.Same(r, Regions.Find(r.Name));
            if (r.ShortName != "阿里")
                Assert.NotNull(Regions.Find(r.ShortName));
        });
    }

    [Fact]
    public void Build_PrefectureBeforeAnyProvince_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Regions.Build("# header\n  深圳市\n"));
    }

    [Fact]
    public void Build_CommentsBlankLinesAndCrLf_AreIgnored()
    {
        var table = Regions.Build("# source\r\n\r\n广东省\r\n  深圳市\r\n");

        Assert.Equal(["广东省", "深圳市"], table.All.Select(r => r.Name));
        Assert.Equal("广东省", table.All[1].Province);
    }
}
