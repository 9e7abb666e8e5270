using System.Diagnostics;
using System.Globalization;
using System.Text;
using Harbor.Domain.Duplicates;

namespace Harbor.Bench;

/// <summary>
/// The similar-name score's own cost (docs/duplicates.md, "Speed"), without a database: the labelled pairs
/// of the duplicate-detection tests scored 1,000,000 times, and the per-name work of a query and of each
/// candidate (normalising a name, taking its grams). Moved here from the domain tests, where a measurement
/// did not belong. Runs once, whatever the engine.
/// </summary>
public static class Score
{
    private const int Scores = 1_000_000;
    private const int Names = 100_000;

    public static Task<ScenarioResult> RunAsync(Engine engine, BenchOptions options)
    {
        var result = new ScenarioResult("score", engine, options.Quick);
        var scores = options.Quick ? Scores / 10 : Scores;
        var names = options.Quick ? Names / 10 : Names;
        var path = Path.Combine(Report.FindRepositoryRoot(), "tests", "Harbor.Domain.Tests", "Duplicates", "labelled-pairs.tsv");
        var raw = File.ReadAllLines(path, Encoding.UTF8).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(c => (A: c[0], B: c[1])).ToArray();
        var pairs = raw.Select(p => (A: CompanyName.Normalize(p.A), B: CompanyName.Normalize(p.B))).ToArray();
        var texts = raw.SelectMany(p => new[] { p.A, p.B }).ToArray();

        double sink = 0;
        for (var i = 0; i < 20_000; i++)
            sink += NameSimilarity.Score(pairs[i % pairs.Length].A, pairs[i % pairs.Length].B);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < scores; i++)
        {
            var (a, b) = pairs[i % pairs.Length];
            sink += NameSimilarity.Score(a, b);
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        result.Add("labelled pairs", $"{pairs.Length} (tests/Harbor.Domain.Tests/Duplicates/labelled-pairs.tsv)");
        result.Add("NameSimilarity.Score", $"{Us(watch.Elapsed, scores)} per score over {scores:N0} scores ({(double)allocated / scores:0} bytes allocated per score)");

        var gramCount = 0;
        watch.Restart();
        for (var i = 0; i < names; i++)
            gramCount += NameGrams.Of(pairs[i % pairs.Length].A).Count;
        watch.Stop();
        result.Add("NameGrams.Of (a normalised name)", $"{Us(watch.Elapsed, names)} per name over {names:N0} ({(double)gramCount / names:0.0} grams each)");

        watch.Restart();
        for (var i = 0; i < names; i++)
            sink += CompanyName.Normalize(texts[i % texts.Length]).Core.Length;
        watch.Stop();
        result.Add("CompanyName.Normalize (as typed)", $"{Us(watch.Elapsed, names)} per name over {names:N0}");
        result.Note($"One thread, Release, after 20,000 scores of warm-up; the checksum {sink.ToString("0.0", CultureInfo.InvariantCulture)} keeps the loops from being optimised away.");
        result.Note("A similar-name check normalises and scores each candidate its grams fetched: candidates × (normalise + score) is its CPU beside the queries.");
        return Task.FromResult(result);
    }

    private static string Us(TimeSpan elapsed, int count) => $"{(elapsed.TotalMilliseconds * 1000 / count).ToString("0.00", CultureInfo.InvariantCulture)} µs";
}
