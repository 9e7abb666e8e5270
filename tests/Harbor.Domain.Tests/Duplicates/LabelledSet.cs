using System.Globalization;
using System.Text;
using Harbor.Domain.Duplicates;

namespace Harbor.Domain.Tests.Duplicates;

/// <summary>One row of labelled-pairs.tsv: two names as a salesperson types them and what they are.</summary>
internal sealed record LabelledPair(int Line, string A, string B, string Label, string Note)
{
    public const string Same = "same";
    public const string Similar = "similar";
    public const string Different = "different";

    /// <summary>The kind of variation: the note up to its first colon (region-leading, homophone, same-trade).</summary>
    public string Kind => Note.Split(':', 2)[0].Trim();

    /// <summary>True for a pair the check must find (a variant of one company), false for two companies.</summary>
    public bool IsVariant => Label != Different;

    public NormalizedCompanyName NormalizedA { get; } = CompanyName.Normalize(A);

    public NormalizedCompanyName NormalizedB { get; } = CompanyName.Normalize(B);

    public bool SameKey => string.Equals(NormalizedA.Key, NormalizedB.Key, StringComparison.Ordinal);

    public double Score => NameSimilarity.Score(NormalizedA, NormalizedB);

    /// <summary>What the check does with the pair at <paramref name="threshold"/>: refuse by key or send to the clerk.</summary>
    public bool Flagged(double threshold) => SameKey || Score >= threshold;
}

/// <summary>The labelled set of company-name pairs, its measures and the tables of docs/duplicates.md.</summary>
internal static class LabelledSet
{
    public const string FileName = "labelled-pairs.tsv";

    public static IReadOnlyList<LabelledPair> Pairs { get; } = Load();

    public static IEnumerable<LabelledPair> Variants => Pairs.Where(p => p.IsVariant);

    public static IEnumerable<LabelledPair> Differents => Pairs.Where(p => !p.IsVariant);

    /// <summary>Share of the same and similar pairs found, by key or by score.</summary>
    public static double Recall(double threshold) => Share(Variants, threshold);

    /// <summary>Share of the different pairs flagged, by key or by score.</summary>
    public static double FalseAlarms(double threshold) => Share(Differents, threshold);

    /// <summary>Share of the flagged pairs that are variants.</summary>
    public static double Precision(double threshold)
    {
        var flagged = Pairs.Where(p => p.Flagged(threshold)).ToList();
        return flagged.Count == 0 ? 1 : (double)flagged.Count(p => p.IsVariant) / flagged.Count;
    }

    public static IEnumerable<double> SweepThresholds()
    {
        for (var step = 6; step <= 18; step++)
            yield return step * 0.05;
    }

    /// <summary>The generated part of docs/duplicates.md: composition, sweep, and every pair the chosen threshold gets wrong.</summary>
    public static string Report()
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.Append(invariant, $"{Pairs.Count} pairs: {Count(LabelledPair.Same)} same, {Count(LabelledPair.Similar)} similar, {Count(LabelledPair.Different)} different.\n\n");

        text.Append("| label | kind of variation | pairs | flagged at the threshold |\n|---|---|---:|---:|\n");
        foreach (var group in Pairs.GroupBy(p => (p.Label, p.Kind)).OrderBy(g => LabelOrder(g.Key.Label)).ThenBy(g => g.Key.Kind, StringComparer.Ordinal))
        {
            var flagged = group.Count(p => p.Flagged(NameSimilarity.Threshold));
            text.Append(invariant, $"| {group.Key.Label} | {group.Key.Kind} | {group.Count()} | {flagged} |\n");
        }

        text.Append("\n### Threshold sweep\n\n");
        text.Append("Found = exact key or score at or above the threshold. Recall over the same and similar pairs, ");
        text.Append("false alarms over the different pairs, precision over all flagged pairs.\n\n");
        text.Append("| threshold | recall | false alarms | precision |\n|---:|---:|---:|---:|\n");
        foreach (var threshold in SweepThresholds())
        {
            var chosen = Math.Abs(threshold - NameSimilarity.Threshold) < 1e-9 ? " **(chosen)**" : "";
            text.Append(invariant, $"| {threshold:0.00}{chosen} | {Recall(threshold):0.000} | {FalseAlarms(threshold):0.000} | {Precision(threshold):0.000} |\n");
        }

        text.Append(invariant, $"\n### Pairs the threshold {NameSimilarity.Threshold:0.00} gets wrong\n\n");
        text.Append("| label | kind | a | b | score |\n|---|---|---|---|---:|\n");
        foreach (var pair in Pairs.Where(p => p.IsVariant != p.Flagged(NameSimilarity.Threshold)))
            text.Append(invariant, $"| {pair.Label} | {pair.Kind} | {pair.A} | {pair.B} | {pair.Score:0.00} |\n");

        return text.ToString();
    }

    private static int Count(string label) => Pairs.Count(p => p.Label == label);

    private static int LabelOrder(string label) => label switch
    {
        LabelledPair.Same => 0,
        LabelledPair.Similar => 1,
        _ => 2,
    };

    private static double Share(IEnumerable<LabelledPair> pairs, double threshold)
    {
        var list = pairs.ToList();
        return (double)list.Count(p => p.Flagged(threshold)) / list.Count;
    }

    private static List<LabelledPair> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Duplicates", FileName);
        var pairs = new List<LabelledPair>();
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;

            var columns = lines[i].Split('\t');
            if (columns.Length != 4 || columns[2] is not (LabelledPair.Same or LabelledPair.Similar or LabelledPair.Different))
                throw new InvalidDataException($"{FileName} line {i + 1}: expected a, b, same|similar|different, note.");
            pairs.Add(new LabelledPair(i + 1, columns[0], columns[1], columns[2], columns[3]));
        }

        return pairs;
    }
}
