using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

public class WholeKeyGramsTests
{
    [Theory]
    [InlineData("北京大学")]
    [InlineData("中国银行")]
    [InlineData("大同物流有限公司")]
    public void Of_NameWithoutBrand_SameAsTheGramsItStores(string name)
    {
        var normalized = CompanyName.Normalize(name);

        Assert.Equal(NameGrams.Of(normalized), WholeKeyGrams.Of(normalized));
    }

    [Fact]
    public void Of_BrandedName_TheKeysBigramsBySound()
    {
        Assert.Equal(["xing-chen", "chen-ke", "ke-ji"], WholeKeyGrams.Of(CompanyName.Normalize("北京星辰科技有限公司")));
    }

    [Theory]
    [InlineData("IBM中国有限公司")] // a Latin letter has no reading
    [InlineData("星辰星辰科技有限公司")] // a bigram repeats
    public void Of_NoBound_Null(string name) => Assert.Null(WholeKeyGrams.Of(CompanyName.Normalize(name)));
}
