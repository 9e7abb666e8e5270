namespace Harbor.Domain.Duplicates;

/// <summary>
/// The bigrams of a name's whole key, spelled as <see cref="NameGrams.Of"/> stores them for a name with no brand
/// (北京大学: <c>bei-jing</c>, <c>jing-da</c>, <c>da-xue</c>). The similar-name search looks them up beside the
/// query's brand grams: a registered name with no brand is compared by its whole key (NameSimilarity), so the
/// share of the query's whole-key bigrams it holds bounds its score.
/// </summary>
public static class WholeKeyGrams
{
    /// <summary>
    /// The whole key's bigrams in reading order, when every symbol of the key is a Chinese character with a
    /// reading and no bigram repeats; null otherwise (the bound the caller draws would not hold).
    /// </summary>
    public static IReadOnlyList<string>? Of(NormalizedCompanyName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var profile = new NameProfile(stackalloc int[NameProfile.MaxSymbols], stackalloc int[NameProfile.MaxSymbols]);
        profile.AnalyseWholeKey(name);
        if (profile.Length < 2 || profile.Length >= NameProfile.MaxSymbols)
            return null;
        foreach (var fold in profile.FoldedSymbols)
            if (!NameProfile.IsSyllable(fold))
                return null;

        var grams = new List<string>(profile.Length - 1);
        for (var i = 0; i + 1 < profile.Length; i++)
        {
            var gram = string.Concat(Hanzi.Syllable(NameProfile.SyllableId(profile.Fold[i])), "-", Hanzi.Syllable(NameProfile.SyllableId(profile.Fold[i + 1])));
            if (grams.Contains(gram))
                return null;
            grams.Add(gram);
        }

        return grams;
    }
}
