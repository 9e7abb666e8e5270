using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Harbor.Domain.Duplicates;

public enum RegionLevel
{
    Province = 1,
    Prefecture = 2,
}

/// <summary>A province-level or prefecture-level division, as named in regions.txt.</summary>
public sealed record AdministrativeRegion(string Name, string ShortName, RegionLevel Level, string? Province);

/// <summary>
/// The region table behind the duplicate check (查重): company names often start with, or bracket,
/// the place they were registered in, and two registrations must not differ by that alone.
/// Loaded once from the embedded regions.txt.
/// </summary>
public static class Regions
{
    private const string ResourceName = "Harbor.Domain.Duplicates.regions.txt";

    // Suffixes stripped to get the short form, longest first.
    private static readonly string[] AdministrativeSuffixes = ["特别行政区", "自治区", "自治州", "地区", "省", "市", "盟"];

    // Ethnic words between a place name and 自治区/自治州: 广西壮族自治区 -> 广西,
    // 海西蒙古族藏族自治州 -> 海西, 伊犁哈萨克自治州 -> 伊犁. Official names drop 族 for some peoples.
    private static readonly string[] EthnicWords =
    [
        "维吾尔", "柯尔克孜", "哈萨克", "朝鲜族", "土家族", "布依族", "哈尼族", "景颇族", "傈僳族", "蒙古族",
        "壮族", "回族", "苗族", "藏族", "羌族", "彝族", "侗族", "傣族", "白族", "蒙古",
    ];

    // Short forms that lead far more company names than they name the place: 阿里巴巴 is not in 阿里地区.
    // The full name (阿里地区) still matches.
    private static readonly FrozenSet<string> AmbiguousShortForms = FrozenSet.Create(StringComparer.Ordinal, "阿里");

    private static readonly Lazy<Table> Data = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every division in file order: each province-level division followed by its prefectures.</summary>
    public static IReadOnlyList<AdministrativeRegion> All => Data.Value.All;

    /// <summary>The division called <paramref name="name"/>: its full name, short form (北京, 广西, 恩施) or a common variant (恩施州, 广西自治区).</summary>
    public static AdministrativeRegion? Find(string name) =>
        name is not null && Data.Value.ByName.TryGetValue(name, out var region) ? region : null;

    /// <summary>The short form of a full name (深圳市 -> 深圳); any other text is returned as it is.</summary>
    public static string ShortNameOf(string name) => Find(name)?.ShortName ?? name;

    /// <summary>The longest region name (full, short or variant) that <paramref name="text"/> starts with.</summary>
    internal static bool TryMatchPrefix(ReadOnlySpan<char> text, [NotNullWhen(true)] out AdministrativeRegion? region, out int length)
    {
        if (!text.IsEmpty && Data.Value.ByFirstChar.TryGetValue(text[0], out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (text.StartsWith(candidate.Text, StringComparison.Ordinal))
                {
                    region = candidate.Region;
                    length = candidate.Text.Length;
                    return true;
                }
            }
        }

        region = null;
        length = 0;
        return false;
    }

    internal static string DeriveShortName(string name)
    {
        foreach (var suffix in AdministrativeSuffixes)
        {
            if (name.Length > suffix.Length + 1 && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                var shortName = name[..^suffix.Length];
                return suffix is "自治区" or "自治州" ? StripEthnicWords(shortName) : shortName;
            }
        }

        return name;
    }

    private static string StripEthnicWords(string name)
    {
        var stripped = true;
        while (stripped)
        {
            stripped = false;
            foreach (var word in EthnicWords)
            {
                // Keep at least two characters: 内蒙古 is not 内 + 蒙古.
                if (name.Length >= word.Length + 2 && name.EndsWith(word, StringComparison.Ordinal))
                {
                    name = name[..^word.Length];
                    stripped = true;
                    break;
                }
            }
        }

        return name;
    }

    private static Table Load()
    {
        using var stream = typeof(Regions).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Build(reader.ReadToEnd());
    }

    internal static Table Build(string text)
    {
        var all = new List<AdministrativeRegion>();
        string? province = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var name = line.Trim();
            if (name.Length == 0 || name.StartsWith('#'))
                continue;

            var indented = char.IsWhiteSpace(line[0]);
            if (indented && province is null)
                throw new InvalidOperationException($"regions.txt: prefecture {name} comes before any province.");

            all.Add(new AdministrativeRegion(
                name,
                DeriveShortName(name),
                indented ? RegionLevel.Prefecture : RegionLevel.Province,
                indented ? province : null));
            if (!indented)
                province = name;
        }

        // Provinces first, so that a name shared by two divisions (吉林, 海南) means the province.
        var byName = new Dictionary<string, AdministrativeRegion>(StringComparer.Ordinal);
        foreach (var level in (ReadOnlySpan<RegionLevel>)[RegionLevel.Province, RegionLevel.Prefecture])
        {
            foreach (var region in all)
            {
                if (region.Level != level)
                    continue;
                foreach (var variant in Variants(region))
                    byName.TryAdd(variant, region);
            }
        }

        var byFirstChar = byName
            .GroupBy(pair => pair.Key[0])
            .ToFrozenDictionary(
                group => group.Key,
                group => group
                    .OrderByDescending(pair => pair.Key.Length)
                    .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => new Candidate(pair.Key, pair.Value))
                    .ToArray());

        return new Table(all, byName.ToFrozenDictionary(StringComparer.Ordinal), byFirstChar);
    }

    private static IEnumerable<string> Variants(AdministrativeRegion region)
    {
        yield return region.Name;
        if (region.ShortName == region.Name || AmbiguousShortForms.Contains(region.ShortName))
            yield break;

        yield return region.ShortName;
        if (region.Name.EndsWith("自治区", StringComparison.Ordinal))
        {
            yield return region.ShortName + "自治区";
        }
        else if (region.Name.EndsWith("自治州", StringComparison.Ordinal))
        {
            yield return region.ShortName + "自治州";
            yield return region.ShortName + "州";
        }
    }

    internal sealed record Candidate(string Text, AdministrativeRegion Region);

    internal sealed record Table(
        IReadOnlyList<AdministrativeRegion> All,
        FrozenDictionary<string, AdministrativeRegion> ByName,
        FrozenDictionary<char, Candidate[]> ByFirstChar);
}
