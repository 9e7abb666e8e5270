using System.Globalization;
using System.Text;

namespace Harbor.Bench;

/// <summary>One line of a scenario's table: a figure, and the target it is held to, if any.</summary>
public sealed record Figure(string Metric, string Value, string? Target = null, bool? Pass = null);

/// <summary>What one scenario measured on one engine.</summary>
public sealed class ScenarioResult(string scenario, Engine engine, bool quick)
{
    public string Scenario { get; } = scenario;
    public Engine Engine { get; } = engine;
    public bool Quick { get; } = quick;
    public List<Figure> Figures { get; } = [];
    public List<string> Notes { get; } = [];
    public string LoadAtStart { get; set; } = Machine.LoadAverageNow();
    public string LoadAtEnd { get; set; } = "";

    public string Key => $"{Scenario}:{Engine.ToString().ToLowerInvariant()}:{(Quick ? "quick" : "full")}";

    public void Add(string metric, string value, string? target = null, bool? pass = null) => Figures.Add(new Figure(metric, value, target, pass));

    public void Note(string text) => Notes.Add(text);
}

/// <summary>Prints results and keeps <c>docs/benchmarks.md</c> up to date: one block per scenario, engine and mode.</summary>
public static class Report
{
    private const string ResultsEnd = "<!-- results:end -->";

    public static void Print(ScenarioResult result)
    {
        var width = Math.Max(24, result.Figures.Max(f => f.Metric.Length) + 2);
        Console.WriteLine();
        Console.WriteLine($"== {result.Scenario} · {Name(result.Engine)} · {(result.Quick ? "quick" : "full")} ==");
        foreach (var figure in result.Figures)
        {
            var target = figure.Target is null ? "" : $"   target {figure.Target}: {Verdict(figure.Pass)}";
            Console.WriteLine($"  {figure.Metric.PadRight(width)}{figure.Value}{target}");
        }

        foreach (var note in result.Notes)
            Console.WriteLine($"  · {note}");
        Console.WriteLine($"  load average at start {result.LoadAtStart}, at end {result.LoadAtEnd}");
    }

    public static string Name(Engine engine) => engine switch
    {
        Engine.Sqlite => "SQLite",
        Engine.Postgres => "PostgreSQL",
    };

    private static string Verdict(bool? pass) => pass switch
    {
        true => "pass",
        false => "**miss**",
        null => "",
    };

    public static string Block(ScenarioResult result, Machine machine, string command, string engineVersion)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"<!-- bench:{result.Key} -->");
        text.AppendLine(CultureInfo.InvariantCulture, $"### {result.Scenario} · {Name(result.Engine)} · {(result.Quick ? "quick" : "full")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"- machine: {machine.Cores} cores, {machine.Memory}, {machine.Os}, {machine.Runtime}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- engine: {engineVersion}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Harbor measured at: {Revision.Value}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- load average (1, 5, 15 min): {result.LoadAtStart} at start, {result.LoadAtEnd} at end");
        text.AppendLine(CultureInfo.InvariantCulture, $"- command: `{command}`");
        text.AppendLine();
        text.AppendLine("| figure | value | target | |");
        text.AppendLine("|---|---|---|---|");
        foreach (var f in result.Figures)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {f.Metric} | {f.Value} | {f.Target ?? ""} | {Verdict(f.Pass)} |");
        if (result.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in result.Notes)
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"<!-- /bench:{result.Key} -->");
        return text.ToString();
    }

    /// <summary>Replaces this scenario's block in the document, or adds it; the hand-written analysis stays.</summary>
    public static void Update(string path, ScenarioResult result, Machine machine, string command, string engineVersion)
    {
        var block = Block(result, machine, command, engineVersion);
        var document = File.Exists(path) ? File.ReadAllText(path) : Skeleton;
        var begin = $"<!-- bench:{result.Key} -->";
        var end = $"<!-- /bench:{result.Key} -->";
        var at = document.IndexOf(begin, StringComparison.Ordinal);
        if (at >= 0)
        {
            var stop = document.IndexOf(end, at, StringComparison.Ordinal);
            stop = document.IndexOf('\n', stop) + 1;
            document = string.Concat(document.AsSpan(0, at), block, document.AsSpan(stop));
        }
        else
        {
            var insert = document.IndexOf(ResultsEnd, StringComparison.Ordinal);
            if (insert < 0)
            {
                document += "\n" + ResultsEnd + "\n";
                insert = document.IndexOf(ResultsEnd, StringComparison.Ordinal);
            }

            document = string.Concat(document.AsSpan(0, insert), block, "\n", document.AsSpan(insert));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, document);
    }

    private const string Skeleton = """
        # Benchmarks

        Written by `bench/Harbor.Bench` (issue 11); each block below is replaced when its scenario runs
        again. The analysis after the results is written by hand.

        ## Results

        <!-- results:end -->

        """;

    private static readonly Lazy<string> Revision = new(() =>
    {
        try
        {
            var root = FindRepositoryRoot();
            var head = Git(root, "rev-parse --short HEAD");
            var dirty = Git(root, "status --porcelain -- src").Length > 0;
            return $"commit {head}{(dirty ? " with local changes in src/" : "")}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    });

    private static string Git(string root, string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", $"-C {root} {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    public static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harbor.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? Environment.CurrentDirectory;
    }
}
