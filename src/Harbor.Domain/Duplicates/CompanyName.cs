using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Harbor.Domain.Duplicates;

/// <summary>
/// A company name taken apart for the duplicate check (查重, rule 3): the region it was registered in,
/// the core that names the company, and its organisational form.
/// </summary>
/// <param name="Region">Full official name of the most specific region removed (深圳市), or null.</param>
/// <param name="Core">What names the company: lower-cased, without brackets, spaces, punctuation, region or form.</param>
/// <param name="Form">The organisational forms removed from the end, as written (集团有限公司, coltd), or null.</param>
public sealed record NormalizedCompanyName(string? Region, string Core, string? Form)
{
    // The key two registrations must share to be "the same company" (exact-match conflict).
    // Computed, not stored, so that a `with` copy can never carry a stale key.
    public string Key => CompanyName.ComposeKey(Region, Core, Form);
}

/// <summary>
/// Normalises company names so that one company registered twice under different spellings
/// (北京星辰科技有限公司, 星辰科技（北京）有限公司, 北京市星辰科技股份有限公司) conflicts, while companies
/// that differ only by their region when nothing else names them (北京大学, 南京大学) do not.
/// </summary>
public static class CompanyName
{
    public const int MaxLength = 200;

    // Ordinals (第一, 第12) are generic too, see OrdinalLength.
    private const string Numerals = "0123456789零〇一二三四五六七八九十百千两";

    // Organisational forms, stripped from the end (stacked: 集团 + 有限公司), longest first. Latin forms are
    // matched in their lower-cased, de-punctuated shape ("Co., Ltd." -> "coltd") and only at a word start,
    // so that "Zinc" keeps its "inc".
    private static readonly FormWord[] Forms = new FormWord[]
    {
        new("集团股份有限公司", false), new("股份有限公司", false), new("有限责任公司", false),
        new("集团有限公司", false), new("有限公司", false), new("集团公司", false), new("集团", false),
        new("分公司", false), new("总公司", false), new("公司", false), new("工作室", false),
        new("商行", false), new("厂", false),
        new("coltd", true), new("ltd", true), new("limited", true), new("inc", true), new("corp", true),
        new("corporation", true), new("llc", true), new("company", true), new("group", true), new("co", true),
    }.OrderByDescending(form => form.Text.Length).ToArray();

    private const string China = "中国";

    private static readonly NormalizedCompanyName Empty = new(null, "", null);

    private const int StackLimit = 256;

    public static NormalizedCompanyName Normalize(string name)
    {
        if (string.IsNullOrEmpty(name))
            return Empty;

        var text = FoldCompatibility(name);
        var n = text.Length;
        Span<char> chars = n <= StackLimit ? stackalloc char[StackLimit] : new char[n];
        Span<bool> wordStart = n <= StackLimit ? stackalloc bool[StackLimit] : new bool[n];
        Span<bool> removed = n <= StackLimit ? stackalloc bool[StackLimit] : new bool[n];
        Span<int> openAt = n <= StackLimit ? stackalloc int[StackLimit] : new int[n];
        Span<int> segmentStart = n <= StackLimit ? stackalloc int[StackLimit] : new int[n];
        Span<int> segmentEnd = n <= StackLimit ? stackalloc int[StackLimit] : new int[n];

        // 1. Keep letters, digits and marks, lower-cased; drop brackets (remembering what they enclosed),
        //    whitespace, punctuation and symbols; note where a word starts.
        int length = 0, depth = 0, segments = 0;
        var gap = true;
        for (var i = 0; i < n; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    chars[length] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
                    wordStart[length++] = gap;
                    gap = false;
                    continue;
                }
            }
            else if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < n && char.IsLowSurrogate(text[i + 1]))
                {
                    if (IsKept(CharUnicodeInfo.GetUnicodeCategory(text, i)))
                    {
                        chars[length] = c;
                        wordStart[length++] = gap;
                        chars[length] = text[i + 1];
                        wordStart[length++] = false;
                        gap = false;
                    }
                    else
                    {
                        gap = true;
                    }

                    i++;
                    continue;
                }
            }
            else if (IsKept(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                // CJK ideographs have no case: lowering them one by one went through ICU and was
                // half the cost of validating a 100,000-row workbook (bench/Harbor.WorkbookBench).
                chars[length] = IsIdeograph(c) ? c : char.ToLowerInvariant(c);
                wordStart[length++] = gap;
                gap = false;
                continue;
            }

            switch (BracketKind(c))
            {
                case > 0:
                    openAt[depth++] = length;
                    break;
                case < 0 when depth > 0:
                    depth--;
                    if (length > openAt[depth])
                    {
                        segmentStart[segments] = openAt[depth];
                        segmentEnd[segments++] = length;
                    }

                    break;
                default:
                    break;
            }

            gap = true;
        }

        // 2. A bracket that holds only a region (星辰科技（北京）有限公司) or 中国 loses it, wherever it stands.
        //    Segments close inner first; an outer one around an already removed region is left alone.
        AdministrativeRegion? bracketProvince = null, bracketPrefecture = null;
        var anyRemoved = false;
        for (var k = 0; k < segments; k++)
        {
            var start = segmentStart[k];
            var end = segmentEnd[k];
            if (removed[start..end].Contains(true))
                continue;

            // （中国） marks the China entity of a group (阿里巴巴（中国）网络技术有限公司) as a bracketed city marks
            // the city: it goes, while a leading 中国 stays (中国银行 vs 中国建设银行).
            if (chars[start..end].SequenceEqual(China))
            {
                removed[start..end].Fill(true);
                anyRemoved = true;
                continue;
            }

            var matched = MatchLeadingRegions(chars[start..end], out var first, out var second);
            if (matched != end - start)
                continue;

            removed[start..end].Fill(true);
            anyRemoved = true;
            foreach (var region in (ReadOnlySpan<AdministrativeRegion?>)[first, second])
            {
                if (region?.Level == RegionLevel.Prefecture)
                    bracketPrefecture ??= region;
                else if (region is not null)
                    bracketProvince ??= region;
            }
        }

        if (anyRemoved)
        {
            var kept = 0;
            var removedBefore = false;
            for (var r = 0; r < length; r++)
            {
                if (removed[r])
                {
                    removedBefore = true;
                    continue;
                }

                chars[kept] = chars[r];
                wordStart[kept++] = wordStart[r] || removedBefore;
                removedBefore = false;
            }

            length = kept;
        }

        // 3. Organisational forms, stacked, from the end.
        var coreEnd = length;
        while (TryMatchForm(chars[..coreEnd], wordStart, out var formLength))
            coreEnd -= formLength;

        // 4. A leading region: a province or prefecture, or a province followed by one of its prefectures.
        var coreStart = MatchLeadingRegions(chars[..coreEnd], out var leading, out var leadingCity);

        var chosen = leadingCity
            ?? (leading?.Level == RegionLevel.Prefecture ? leading : null)
            ?? bracketPrefecture
            ?? leading
            ?? bracketProvince;

        return new NormalizedCompanyName(
            chosen?.Name,
            new string(chars[coreStart..coreEnd]),
            coreEnd < length ? new string(chars[coreEnd..length]) : null);
    }

    public static string Key(string name) => Normalize(name).Key;

    internal static string ComposeKey(string? region, string core, string? form)
    {
        // Forms never count; a region counts only when what is left does not name a company by itself.
        var key = region is null || (core.Length > 0 && !IsGenericOnly(core))
            ? core
            : string.Concat(Regions.ShortNameOf(region), core);
        if (key.Length == 0)
            key = form ?? "";

        // NFKC can lengthen a name (㍿ is 株式会社): a key still fits wherever a name of MaxLength fits.
        if (key.Length <= MaxLength)
            return key;
        var cut = char.IsHighSurrogate(key[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return key[..cut];
    }

    /// <summary>
    /// True when <paramref name="core"/> is empty or made only of generic words (TradeWords) and ordinals: such a
    /// core says what kind of organisation it is, not which one, and the region is then part of the name
    /// (北京大学 vs 南京大学, 北京银行 vs 上海银行, 北京市第一中学 vs 上海市第一中学, 青岛啤酒 vs 重庆啤酒).
    /// </summary>
    internal static bool IsGenericOnly(ReadOnlySpan<char> core)
    {
        if (core.IsEmpty)
            return true;
        if (core.Length > StackLimit)
            return false;

        Span<bool> reachable = stackalloc bool[core.Length + 1];
        reachable[0] = true;
        for (var i = 0; i < core.Length; i++)
        {
            if (!reachable[i])
                continue;

            var rest = core[i..];
            TradeWords.MarkEnds(rest, reachable[i..]);

            var ordinal = OrdinalLength(rest);
            if (ordinal > 0)
                reachable[i + ordinal] = true;
        }

        return reachable[core.Length];
    }

    /// <summary>
    /// Unicode NFKC (full-width letters, digits and brackets to half-width). Skips the normaliser for
    /// the usual ASCII + CJK + full-width input, and never throws: a name must not break the check.
    /// </summary>
    internal static string FoldCompatibility(string text)
    {
        var fullWidth = false;
        foreach (var c in text)
        {
            // These ranges are unchanged by NFKC (or are punctuation that is dropped either way).
            if (c < 0x80 || c is (>= '\u4E00' and <= '\u9FFF') or '\u00B7' or (>= '\u2010' and <= '\u205E')
                or (>= '\u3001' and <= '\u3035'))
                continue;

            if (c is (>= '\uFF01' and <= '\uFF5E') or '\u3000')
            {
                fullWidth = true;
                continue;
            }

            return NormalizeSafely(text);
        }

        if (!fullWidth)
            return text;

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                    '\u3000' => ' ',
                    _ => c,
                };
            }
        });
    }

    private static string NormalizeSafely(string text)
    {
        // string.Normalize throws on an unpaired surrogate: drop those first.
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (char.IsSurrogate(c) && !paired)
            {
                clean ??= new StringBuilder(text, 0, i, text.Length);
                continue;
            }

            clean?.Append(c);
            if (paired)
            {
                clean?.Append(text[i + 1]);
                i++;
            }
        }

        var valid = clean?.ToString() ?? text;
        try
        {
            return valid.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return valid;
        }
    }

    private static bool IsKept(UnicodeCategory category) => category <= UnicodeCategory.OtherNumber;

    /// <summary>The CJK unified and compatibility ideographs of the basic plane, none of which has a lower case.</summary>
    private static bool IsIdeograph(char c) => c is (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');

    private static int BracketKind(char c) => c switch
    {
        '(' or '[' or '{' or '<' or '【' or '〔' or '《' or '「' or '『' or '〈' or '〖' or '〘' or '〚' or '⦅' => 1,
        ')' or ']' or '}' or '>' or '】' or '〕' or '》' or '」' or '』' or '〉' or '〗' or '〙' or '〛' or '⦆' => -1,
        _ => 0,
    };

    private static int MatchLeadingRegions(
        ReadOnlySpan<char> text, out AdministrativeRegion? region, out AdministrativeRegion? city)
    {
        city = null;
        if (!MatchRegion(text, out region, out var length))
            return 0;

        if (region.Level == RegionLevel.Province
            && MatchRegion(text[length..], out var next, out var nextLength)
            && next.Province == region.Name)
        {
            city = next;
            length += nextLength;
        }

        return length;
    }

    private static bool MatchRegion(
        ReadOnlySpan<char> text, [NotNullWhen(true)] out AdministrativeRegion? region, out int length)
    {
        if (!Regions.TryMatchPrefix(text, out region, out length))
            return false;

        // 北京市场营销 is 北京 + 市场营销, not 北京市 + 场营销 (likewise 市政); 北京市市场营销 still takes 北京市.
        if (length > 2 && text[length - 1] == '市' && length < text.Length && text[length] is '场' or '政'
            && Regions.TryMatchPrefix(text[..(length - 1)], out var shorter, out var shorterLength)
            && shorterLength == length - 1)
        {
            region = shorter;
            length = shorterLength;
        }

        return true;
    }

    private static bool TryMatchForm(ReadOnlySpan<char> text, ReadOnlySpan<bool> wordStart, out int formLength)
    {
        foreach (var form in Forms)
        {
            if (!text.EndsWith(form.Text, StringComparison.Ordinal))
                continue;

            var at = text.Length - form.Text.Length;
            if (form.Latin && at > 0 && !wordStart[at] && char.IsAsciiLetter(text[at - 1]))
                continue;

            formLength = form.Text.Length;
            return true;
        }

        formLength = 0;
        return false;
    }

    private static int OrdinalLength(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] != '第')
            return 0;

        var i = 1;
        while (i < text.Length && Numerals.Contains(text[i]))
            i++;
        return i > 1 ? i : 0;
    }

    private readonly record struct FormWord(string Text, bool Latin);
}
