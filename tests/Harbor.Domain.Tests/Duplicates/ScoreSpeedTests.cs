using System.Diagnostics;
using System.Globalization;
using Harbor.Domain.Duplicates;
using Xunit;

namespace Harbor.Domain.Tests.Duplicates;

/// <summary>
/// Not a timed test: with HARBOR_MEASURE set to a file path, scores 1,000,000 labelled pairs and writes the cost
/// there (docs/duplicates.md, "Speed"). Run it in Release; without the variable it does nothing.
/// </summary>
public class ScoreSpeedTests
{
    private const int Scores = 1_000_000;

    [Fact]
    public void Score_MillionLabelledPairs_IsMeasuredOnRequest()
    {
        var path = Environment.GetEnvironmentVariable("HARBOR_MEASURE");
        if (string.IsNullOrEmpty(path))
            return;

        var pairs = LabelledSet.Pairs.Select(p => (p.NormalizedA, p.NormalizedB)).ToArray();
        var grams = LabelledSet.Pairs.Select(p => p.NormalizedA).ToArray();
        double sink = 0;
        for (var i = 0; i < 20_000; i++)
            sink += NameSimilarity.Score(pairs[i % pairs.Length].NormalizedA, pairs[i % pairs.Length].NormalizedB);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Scores; i++)
        {
            var (a, b) = pairs[i % pairs.Length];
            sink += NameSimilarity.Score(a, b);
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var gramWatch = Stopwatch.StartNew();
        var gramCount = 0;
        for (var i = 0; i < Scores / 10; i++)
            gramCount += NameGrams.Of(grams[i % grams.Length]).Count;
        gramWatch.Stop();

        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            {Scores:N0} scores over the {pairs.Length} labelled pairs: {watch.Elapsed.TotalMilliseconds:0} ms, {watch.Elapsed.TotalMilliseconds * 1000 / Scores:0.00} µs per score, {(double)allocated / Scores:0} bytes allocated per score
            {Scores / 10:N0} NameGrams.Of: {gramWatch.Elapsed.TotalMilliseconds * 1000 / (Scores / 10):0.00} µs per name ({gramCount} grams)
            (checksum {sink:0.0})

            """));
    }
}
