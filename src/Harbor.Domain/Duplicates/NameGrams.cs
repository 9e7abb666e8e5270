using System.Text;

namespace Harbor.Domain.Duplicates;

/// <summary>
/// The index keys of the similar-name search: the few grams of a name that an inverted index
/// <c>(gram, customerId)</c> stores, so that a query fetches its candidates by the grams it shares with them and
/// then ranks them with <see cref="NameSimilarity.Score"/>. A query uses the same grams as the names it looks for.
/// </summary>
/// <remarks>
/// <para>
/// <b>Why bigrams of the brand.</b> The score compares brands (字号) by character bigrams, so a pair it flags
/// shares at least one bigram of their brands (tested over the labelled set): the grams lose no duplicate that
/// the score would find. Chinese brands are two to four characters, so a name has one to three grams; Latin
/// brands use letter trigrams, since letter bigrams are far too common.
/// </para>
/// <para>
/// <b>Why by sound.</b> Each CJK character is written as its toneless syllable (星辰 and 星晨 are both
/// <c>xing-chen</c>), so a homophone typo finds the name it misspells, and traditional characters find the
/// simplified ones. A name also stores its brand in pinyin (<c>=xingchen</c>), which is what the Latin brand of
/// "Xingchen Technology" stores too.
/// </para>
/// <para>
/// <b>Why trade words are left out.</b> 科技, 贸易, 有限公司 and the other words of TradeWords are in a large share
/// of all names: a 科技 posting would list a third of the registry, and a query would have to score it all.
/// Without them, the grams are the brand's. Names with no brand (北京大学, 中国银行, 上海农商银行) are the exception:
/// they store the bigrams of their whole key, trade words included; they are a small share of a sales registry,
/// which bounds those postings.
/// </para>
/// <para>
/// <b>Posting-list size.</b> Not measured on real data here. Estimate for 1,000,000 customers: the most common
/// brands of a region (鑫源, 恒通, 华盛) are each in well under 0.1% of its companies, and folding by sound merges a
/// handful of them (鑫源, 新源, 信源, 欣源), so the longest brand postings are in the low thousands; a typical brand
/// bigram lists tens. A query fetches every posting of its one to three grams (a few thousand candidates at worst),
/// and scoring a candidate costs about a microsecond (docs/duplicates.md). The benchmark measures this on generated
/// names; a gram whose posting outgrows a cap can be skipped when the query has rarer grams.
/// </para>
/// </remarks>
public static class NameGrams
{
    /// <summary>At most this many grams per name: the first brand grams in reading order, and the pinyin gram.</summary>
    public const int MaxGrams = 12;

    /// <summary>Marks the gram that holds the whole brand in pinyin or Latin letters.</summary>
    public const char SpelledOutMark = '=';

    /// <summary>The distinct grams of <paramref name="name"/>, in a fixed order; empty when nothing but a form is left.</summary>
    public static IReadOnlyList<string> Of(NormalizedCompanyName name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // A name that is only a form (有限公司) is found by its key or not at all.
        if (name.Core.Length == 0 && name.Region is null)
            return [];

        var profile = new NameProfile(stackalloc int[NameProfile.MaxSymbols], stackalloc int[NameProfile.MaxSymbols]);
        profile.Analyse(name);
        if (profile.Length == 0)
            return [];

        var spelled = profile.WholeKey ? null : SpelledOut(profile);
        var room = spelled is null ? MaxGrams : MaxGrams - 1;
        var n = profile.HasHan ? Math.Min(2, profile.Length) : Math.Min(3, profile.Length);
        var grams = new List<string>(Math.Min(room, profile.Length - n + 1) + 1);
        var text = new StringBuilder();
        for (var i = 0; i + n <= profile.Length && grams.Count < room; i++)
        {
            text.Clear();
            for (var k = 0; k < n; k++)
            {
                if (profile.HasHan && k > 0)
                    text.Append('-');
                AppendSymbol(text, profile.Fold[i + k]);
            }

            var gram = text.ToString();
            if (!grams.Contains(gram))
                grams.Add(gram);
        }

        if (spelled is not null)
            grams.Add(spelled);
        return grams;
    }

    private static void AppendSymbol(StringBuilder text, int fold)
    {
        if (NameProfile.IsSyllable(fold))
            text.Append(Hanzi.Syllable(NameProfile.SyllableId(fold)));
        else if (fold is >= 0xD800 and <= 0xDFFF or < 0x10000)
            text.Append((char)fold); // a lone surrogate can only come from a record built by hand
        else
            text.Append(char.ConvertFromUtf32(fold));
    }

    // The brand as letters: pinyin for Chinese characters, the letters themselves for Latin; null when a
    // character has no known reading.
    private static string? SpelledOut(NameProfile profile)
    {
        var text = new StringBuilder().Append(SpelledOutMark);
        foreach (var fold in profile.FoldedSymbols)
        {
            if (NameProfile.IsSyllable(fold))
                text.Append(Hanzi.Syllable(NameProfile.SyllableId(fold)));
            else if (fold < 0x80)
                text.Append((char)fold);
            else
                return null;
        }

        return text.ToString();
    }
}
