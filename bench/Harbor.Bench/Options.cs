namespace Harbor.Bench;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>The command line: <c>[scenario] [--engine sqlite|postgres] [--quick] [--runs N] [--seed N]</c>.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Scenarios, IReadOnlyList<Engine> Engines, bool Quick, int? Runs, int Seed, bool WriteReport, string CommandLine)
{
    public static readonly string[] AllScenarios = ["rush", "check", "sweep", "page", "workbook", "score"];

    public static BenchOptions Parse(string[] args)
    {
        var scenarios = new List<string>();
        var engines = new List<Engine>();
        var quick = false;
        var report = true;
        int? runs = null;
        var seed = 20261216;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--no-report":
                    report = false;
                    break;
                case "--engine" when i + 1 < args.Length:
                    var value = args[++i].ToLowerInvariant();
                    engines.AddRange(value switch
                    {
                        "sqlite" => [Engine.Sqlite],
                        "postgres" or "postgresql" => [Engine.Postgres],
                        "both" or "all" => [Engine.Sqlite, Engine.Postgres],
                        _ => throw new ArgumentException($"Unknown engine '{value}': sqlite, postgres or both."),
                    });
                    break;
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--seed" when i + 1 < args.Length:
                    seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "all":
                    scenarios.AddRange(AllScenarios);
                    break;
                case var name when AllScenarios.Contains(name) || name == "probe":
                    scenarios.Add(name);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [rush|check|sweep|page|workbook|score|all] [--engine sqlite|postgres|both] [--quick] [--runs N] [--seed N] [--no-report]");
            }
        }

        if (scenarios.Count == 0)
            scenarios.AddRange(AllScenarios);
        if (engines.Count == 0)
            engines.AddRange([Engine.Sqlite, Engine.Postgres]);
        var command = "dotnet run -c Release --project bench/Harbor.Bench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
        return new BenchOptions(scenarios.Distinct().ToList(), engines.Distinct().ToList(), quick, runs, seed, report, command);
    }
}
