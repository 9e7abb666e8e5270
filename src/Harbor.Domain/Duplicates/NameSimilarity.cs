namespace Harbor.Domain.Duplicates;

/// <summary>
/// How alike two company names are, for the duplicate check (查重, rule 3): a likely duplicate is not refused
/// but waits for the clerk. Exact matches are found by <see cref="NormalizedCompanyName.Key"/>; this score
/// finds the names a salesperson types differently: an added or dropped trade word (云帆科技, 云帆网络科技),
/// a homophone from the pinyin input method (星辰, 星晨), a missing or doubled character, words swapped,
/// a district left in, traditional characters, the registered pinyin name (Xingchen Technology).
/// </summary>
/// <remarks>
/// <para>
/// The score compares BRANDS (字号), not whole names. Each core is split into trade words (科技, 贸易, 食品 —
/// see TradeWords), regions and districts left inside it, and the brand: what remains. Short Chinese names are
/// mostly trade words, so a plain n-gram similarity calls 星辰科技 and 海岳科技 alike; without the trade words
/// they share nothing. Where nothing but region and trade words names the company (北京大学, 中国银行), the
/// whole keys are compared instead, and must be nearly equal (the similarity is squared).
/// </para>
/// <para>
/// Brands are compared by the Dice coefficient of their character bigrams (unigrams when a brand has one
/// character; letter trigrams for Latin brands), with every CJK character folded to its toneless syllable: a
/// bigram that matches only by sound counts <see cref="SoundOnlyWeight"/>. Four or more characters in another
/// order (星辰云帆, 云帆星辰) score at least <see cref="ReorderedScore"/>. Names whose trade words name different
/// lines of business (海岳电子, 海岳食品: the same 字号 may be registered in another trade) are multiplied by
/// <see cref="TradeConflictFactor"/>.
/// </para>
/// <para>
/// The threshold comes from the labelled set in tests/Harbor.Domain.Tests/Duplicates/labelled-pairs.tsv;
/// docs/duplicates.md has the sweep and how to reproduce it.
/// </para>
/// </remarks>
public static class NameSimilarity
{
    /// <summary>At or above this score two names are a likely duplicate, for the clerk to review.</summary>
    public const double Threshold = 0.7;

    /// <summary>A bigram that matches by sound only (星辰, 星晨), not character for character.</summary>
    public const double SoundOnlyWeight = 0.85;

    /// <summary>The least score of two brands of four or more characters that hold the same characters in another order.</summary>
    public const double ReorderedScore = 0.8;

    /// <summary>Applied when both names name their line of business and the lines differ (电子 versus 食品).</summary>
    public const double TradeConflictFactor = 0.6;

    /// <summary>A Chinese brand whose toneless pinyin is exactly the other name's Latin brand (星辰, Xingchen).</summary>
    public const double TransliterationScore = 0.9;

    public static bool IsLikelyDuplicate(NormalizedCompanyName a, NormalizedCompanyName b) => Score(a, b) >= Threshold;

    /// <summary>A score in [0, 1]: 1 for the same key, 0 for nothing in common.</summary>
    public static double Score(NormalizedCompanyName a, NormalizedCompanyName b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        var first = new NameProfile(stackalloc int[NameProfile.MaxSymbols], stackalloc int[NameProfile.MaxSymbols]);
        var second = new NameProfile(stackalloc int[NameProfile.MaxSymbols], stackalloc int[NameProfile.MaxSymbols]);
        first.Analyse(a);
        second.Analyse(b);

        if (first.WholeKey || second.WholeKey)
        {
            if (string.Equals(a.Key, b.Key, StringComparison.Ordinal))
                return 1;

            if (!first.WholeKey)
                first.AnalyseWholeKey(a);
            if (!second.WholeKey)
                second.AnalyseWholeKey(b);
            var whole = Dice(first, second, out _);
            return whole * whole;
        }

        if (string.Equals(a.Core, b.Core, StringComparison.Ordinal))
            return 1;

        var score = BrandScore(first, second, out var bySound);

        var tradeA = first.EffectiveTrade;
        var tradeB = second.EffectiveTrade;
        if (tradeA != Trade.None && tradeB != Trade.None && (tradeA & tradeB) == Trade.None)
            score *= TradeConflictFactor;
        // A brand alike only by sound is a typing slip when the rest of the name agrees (星辰科技, 星晨科技) or
        // is left out (星晨); when both names carry generic words and share none of them (金盛投资管理, 金晟建材),
        // two companies that chose homophone brands are as likely: the same factor as for another trade.
        else if (bySound && first.Words != 0 && second.Words != 0 && (first.Words & second.Words) == 0)
            score *= TradeConflictFactor;

        return score;
    }

    private static double BrandScore(NameProfile a, NameProfile b, out bool bySound)
    {
        bySound = false;
        if (a.HasHan != b.HasHan)
            return Transliterates(a.HasHan ? a : b, a.HasHan ? b : a) ? TransliterationScore : 0;

        var score = Dice(a, b, out bySound);
        if (score < ReorderedScore && a.HasHan && a.Length >= 4 && a.Length == b.Length && SameSymbols(a.FoldedSymbols, b.FoldedSymbols))
        {
            var sameCharacters = SameSymbols(a.RawSymbols, b.RawSymbols);
            var reordered = sameCharacters ? ReorderedScore : ReorderedScore * SoundOnlyWeight;
            if (reordered > score)
            {
                score = reordered;
                bySound = !sameCharacters;
            }
        }

        return score;
    }

    /// <summary>The Dice coefficient of the two profiles' n-grams; a gram that matches by sound only counts <see cref="SoundOnlyWeight"/>.</summary>
    internal static double Dice(NameProfile a, NameProfile b, out bool bySound)
    {
        bySound = false;
        if (a.Length == 0 || b.Length == 0)
            return 0;

        var n = GramLength(a, b);
        var countA = a.Length - n + 1;
        var countB = b.Length - n + 1;
        Span<bool> usedA = stackalloc bool[countA];
        Span<bool> usedB = stackalloc bool[countB];

        // Exact matches first, so that a sound-only match never takes the place of an exact one.
        double matched = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            var raw = pass == 0;
            for (var i = 0; i < countA; i++)
            {
                if (usedA[i])
                    continue;
                var gramA = (raw ? a.RawSymbols : a.FoldedSymbols).Slice(i, n);
                for (var j = 0; j < countB; j++)
                {
                    if (usedB[j] || !gramA.SequenceEqual((raw ? b.RawSymbols : b.FoldedSymbols).Slice(j, n)))
                        continue;

                    usedA[i] = usedB[j] = true;
                    matched += raw ? 1 : SoundOnlyWeight;
                    bySound |= !raw;
                    break;
                }
            }
        }

        return 2 * matched / (countA + countB);
    }

    /// <summary>Bigrams for Chinese, unigrams when one side has a single character, trigrams for Latin letters.</summary>
    internal static int GramLength(NameProfile a, NameProfile b)
    {
        var shorter = Math.Min(a.Length, b.Length);
        return a.HasHan || b.HasHan ? Math.Min(2, shorter) : Math.Min(3, shorter);
    }

    private static bool SameSymbols(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        Span<int> sortedA = stackalloc int[a.Length];
        Span<int> sortedB = stackalloc int[b.Length];
        a.CopyTo(sortedA);
        b.CopyTo(sortedB);
        sortedA.Sort();
        sortedB.Sort();
        return sortedA.SequenceEqual(sortedB);
    }

    // 星辰 and xingchen: the toneless pinyin of every character, run together, is the Latin brand.
    private static bool Transliterates(NameProfile han, NameProfile latin)
    {
        var latinSymbols = latin.RawSymbols;
        var at = 0;
        foreach (var symbol in han.FoldedSymbols)
        {
            if (NameProfile.IsSyllable(symbol))
            {
                var syllable = Hanzi.Syllable(NameProfile.SyllableId(symbol));
                foreach (var letter in syllable)
                {
                    if (at >= latinSymbols.Length || latinSymbols[at++] != letter)
                        return false;
                }
            }
            else if (symbol < 0x80)
            {
                if (at >= latinSymbols.Length || latinSymbols[at++] != symbol)
                    return false;
            }
            else
            {
                return false;
            }
        }

        return at == latinSymbols.Length;
    }
}
