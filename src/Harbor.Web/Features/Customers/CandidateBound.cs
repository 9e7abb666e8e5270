using System.Text;
using Harbor.Domain.Duplicates;

namespace Harbor.Web.Features.Customers;

/// <summary>
/// Which registered names sharing a gram with a query can score at or above <see cref="NameSimilarity.Threshold"/>:
/// those that hold <see cref="BrandNeeded"/> of the query's brand grams, or its spelled-out gram, or
/// <see cref="WholeNeeded"/> of its whole key's bigrams. The similar-name search scores only those; null from
/// <see cref="Of"/> when the bound cannot be shown for the query, and every name sharing a gram is scored.
/// </summary>
/// <remarks>
/// <para>
/// <b>Brand against brand.</b> The score compares brands by the Dice coefficient of their n-grams, 2m / (a + b),
/// where the query's brand has a n-grams, the other's b, and m of the query's match (by character or by sound;
/// a match by character is also one by sound, which is what the grams hold). When the query's a n-grams are all
/// different, m is at most s, the number of them the other name's grams hold, and b is at least m, so the score is
/// at most 2s / (a + s): below the threshold T unless s ≥ T·a / (2 − T). A three-character brand (two bigrams)
/// needs both: a name sharing one scores 2/3 at most. A brand of one n-gram (星辰) reaches T only against a brand
/// of one n-gram, 2 / (1 + b); sharing it by sound, that brand is spelled out the same (<c>=xingchen</c>), so it
/// holds the spelled-out gram. A name holding the spelled-out gram (the same sound, a Latin transliteration) is
/// always kept. The other trade and the sound-only factors only lower a score.
/// </para>
/// <para>
/// <b>A registered name with no brand</b> (北京大学, 大同物流 where 大同 is a city) is compared by whole keys and
/// the similarity squared: it needs w ≥ √T of the query's whole key, hence s ≥ w·k / (2 − w) of the key's k
/// bigrams, which such a name stores as its grams. Those bigrams are looked up too.
/// </para>
/// <para>
/// <b>When it is not used.</b> The grams must show the whole brand: its n-grams chained in reading order, all
/// different, and the spelled-out gram equal to them run together (not so for a repeated n-gram, a character with
/// no reading, a name with no brand). Not for a Chinese brand of four characters or more, which may match another
/// order of its characters (<see cref="NameSimilarity.ReorderedScore"/>) with few bigrams in common; not above
/// five brand n-grams or eight key bigrams, where the other name's may be more than the index holds
/// (<see cref="NameGrams.MaxGrams"/>). CandidateBoundTests checks the bound on the labelled set and on generated
/// variants.
/// </para>
/// </remarks>
public sealed record CandidateBound(
    IReadOnlyList<string> Lookup, IReadOnlyList<string> Brand, string Spelled, int BrandNeeded, IReadOnlyList<string> Whole, int WholeNeeded)
{
    private const int MaxBrandGrams = 5;
    private const int MaxKeyGrams = 8;

    public static CandidateBound? Of(NormalizedCompanyName name, IReadOnlyList<string> grams)
    {
        var spelled = grams.FirstOrDefault(g => g.Length > 0 && g[0] == NameGrams.SpelledOutMark);
        if (spelled is null)
            return null;
        var brand = grams.Where(g => g.Length == 0 || g[0] != NameGrams.SpelledOutMark).ToList();
        var n = brand.Count;
        if (n is 0 or > MaxBrandGrams)
            return null;
        var han = brand[0].Contains('-', StringComparison.Ordinal);
        if (han && n + 1 >= 4)
            return null;
        var chained = han ? ChainedHan(brand) : ChainedLatin(brand);
        if (chained is null || !string.Equals(spelled, NameGrams.SpelledOutMark + chained, StringComparison.Ordinal))
            return null;
        var whole = WholeKeyGrams.Of(name);
        if (whole is null || whole.Count > MaxKeyGrams)
            return null;

        var brandNeeded = n == 1 ? 2 : Needed(NameSimilarity.Threshold, n);
        var wholeNeeded = Needed(Math.Sqrt(NameSimilarity.Threshold), whole.Count);
        return new CandidateBound([.. grams.Union(whole)], brand, spelled, brandNeeded, whole, wholeNeeded);
    }

    /// <summary>True when a name holding <paramref name="stored"/> among its grams may reach the threshold.</summary>
    public bool Keeps(IReadOnlySet<string> stored) =>
        stored.Contains(Spelled) || Brand.Count(stored.Contains) >= BrandNeeded || Whole.Count(stored.Contains) >= WholeNeeded;

    // The least s with 2s / (a + s) ≥ t.
    private static int Needed(double t, int a) => (int)Math.Ceiling(t * a / (2 - t) - 1e-9);

    // "xing-chen", "chen-hua" → "xingchenhua"; null unless each bigram starts where the one before ended.
    private static string? ChainedHan(List<string> bigrams)
    {
        var text = new StringBuilder();
        string? last = null;
        foreach (var gram in bigrams)
        {
            var dash = gram.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || dash == gram.Length - 1 || gram.IndexOf('-', dash + 1) >= 0)
                return null;
            var first = gram[..dash];
            if (last is null)
                text.Append(first);
            else if (!string.Equals(first, last, StringComparison.Ordinal))
                return null;
            last = gram[(dash + 1)..];
            text.Append(last);
        }

        return text.ToString();
    }

    // "xin", "ing", "ngc" → "xingc"; null unless each trigram overlaps the one before by two letters.
    private static string? ChainedLatin(List<string> trigrams)
    {
        var text = new StringBuilder(trigrams[0]);
        for (var i = 0; i < trigrams.Count; i++)
        {
            var gram = trigrams[i];
            if (gram.Length != 3 || gram.Any(c => c is '-' or >= (char)0x80))
                return null;
            if (i == 0)
                continue;
            if (!gram.AsSpan(0, 2).SequenceEqual(trigrams[i - 1].AsSpan(1, 2)))
                return null;
            text.Append(gram[2]);
        }

        return text.ToString();
    }
}
