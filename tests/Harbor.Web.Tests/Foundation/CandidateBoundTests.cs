using System.Text;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;

namespace Harbor.Web.Tests.Foundation;

/// <summary>
/// The similar-name search drops, in the database, the names that share too few of the query's grams to
/// reach the threshold (SimilarNames.SharedGramsNeeded). It must never drop a name the score would flag:
/// checked on the labelled set and on generated variants of generated brands.
/// </summary>
public sealed class CandidateBoundTests
{
    [Theory]
    [InlineData("北京星辰华科技有限公司", 2, 3)] // three characters: both bigrams; or 3 of the key's 4 bigrams
    [InlineData("深圳市星辰科技有限公司", 2, 3)] // two characters: a name with one bigram, spelled out the same
    [InlineData("大通物流有限公司", 2, 3)] // 大同物流 (大同 is a city) is compared by its whole key
    public void Of_ByBrand_AsksThisMany(string name, int brand, int whole)
    {
        var normalized = CompanyName.Normalize(name);
        var bound = CandidateBound.Of(normalized, NameGrams.Of(normalized));
        Assert.NotNull(bound);
        Assert.Equal(brand, bound.BrandNeeded);
        Assert.Equal(whole, bound.WholeNeeded);
    }

    [Theory]
    [InlineData("星辰云帆科技有限公司")] // four characters: another order of them may match
    [InlineData("北京大学")] // no brand: its whole key
    [InlineData("星星科技有限公司")]
    public void Of_NotShown_Null(string name)
    {
        var normalized = CompanyName.Normalize(name);
        Assert.Null(CandidateBound.Of(normalized, NameGrams.Of(normalized)));
    }

    [Fact]
    public void SharedGramsNeeded_LabelledSet_NeverDropsAFlaggedPair()
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "Harbor.Domain.Tests", "Duplicates", "labelled-pairs.tsv");
        var pairs = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => (f[0], f[1])).ToList();
        Assert.True(pairs.Count > 300);
        var checkedPairs = 0;
        foreach (var (a, b) in pairs)
        {
            checkedPairs += Verify(a, b);
            checkedPairs += Verify(b, a);
        }

        Assert.True(checkedPairs > 100, $"{checkedPairs} flagged pairs found by a gram");
    }

    [Fact]
    public void SharedGramsNeeded_GeneratedVariants_NeverDropsAFlaggedPair()
    {
        // Brand characters with many homophones (星/兴/新/鑫, 辰/晨/诚/成 ...), so that matches by sound are common.
        const string chars = "星兴新鑫辰晨诚成华化花恒衡达大源远元盛晟胜嘉佳家禾和合瑞睿锐丰峰风云运帆凡海岳";
        string[] trades = ["科技", "网络科技", "贸易", "食品", "电子", "", "投资管理", "建材"];
        string[] regions = ["北京", "深圳市", "", "杭州"];
        var random = new Random(20261127);
        var flagged = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(2, 5);
            var brand = new StringBuilder();
            for (var k = 0; k < length; k++)
                brand.Append(chars[random.Next(chars.Length)]);
            var other = Vary(brand.ToString(), chars, random);
            var a = regions[random.Next(regions.Length)] + brand + trades[random.Next(trades.Length)] + "有限公司";
            var b = regions[random.Next(regions.Length)] + other + trades[random.Next(trades.Length)] + "有限公司";
            flagged += Verify(a, b);
        }

        Assert.True(flagged > 1000, $"{flagged} flagged pairs found by a gram");
    }

    // 1 when the score flags the pair and the index would list b for a; fails if the bound would drop it.
    private static int Verify(string a, string b)
    {
        var na = CompanyName.Normalize(a);
        var nb = CompanyName.Normalize(b);
        var query = NameGrams.Of(na);
        var stored = NameGrams.Of(nb).Where(g => g.Length <= CustomerNameGram.MaxGramLength).ToHashSet();
        var shared = query.Count(stored.Contains);
        if (shared == 0 || NameSimilarity.Score(na, nb) < NameSimilarity.Threshold)
            return 0;
        var bound = CandidateBound.Of(na, query);
        Assert.True(bound is null || bound.Keeps(stored),
            $"{a} / {b}: score {NameSimilarity.Score(na, nb):0.000}, shares {shared} of [{string.Join(", ", query)}]; the bound asks {bound?.BrandNeeded} of the brand or {bound?.WholeNeeded} of [{string.Join(", ", bound?.Whole ?? [])}]");
        return 1;
    }

    private static string Vary(string brand, string chars, Random random)
    {
        var text = new StringBuilder(brand);
        switch (random.Next(6))
        {
            case 0: // a homophone or another character
                text[random.Next(text.Length)] = chars[random.Next(chars.Length)];
                break;
            case 1 when text.Length > 1: // a character dropped
                text.Remove(random.Next(text.Length), 1);
                break;
            case 2: // a character added
                text.Insert(random.Next(text.Length + 1), chars[random.Next(chars.Length)]);
                break;
            case 3 when text.Length > 1: // two swapped
                var i = random.Next(text.Length - 1);
                (text[i], text[i + 1]) = (text[i + 1], text[i]);
                break;
            case 4: // another order
                var shuffled = text.ToString().ToCharArray();
                random.Shuffle(shuffled);
                return new string(shuffled);
            default: // the same brand
                break;
        }

        return text.ToString();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Harbor.slnx")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Harbor.slnx not found above the test binaries.");
    }
}
