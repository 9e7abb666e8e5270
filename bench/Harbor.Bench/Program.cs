using Microsoft.Data.Sqlite;

namespace Harbor.Bench;

/// <summary>The bench's entry point (not Harbor's <c>Program</c>, which the host starts).</summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var machine = Machine.Describe();
        Console.WriteLine($"Harbor bench: {string.Join(", ", options.Scenarios)} on {string.Join(", ", options.Engines.Select(Report.Name))}{(options.Quick ? " (quick)" : "")}");
        Console.WriteLine($"Machine: {machine}");
        if (Machine.LoadOneMinute() > machine.Cores)
            Console.WriteLine("Note: the machine is busy (load above the core count); figures will be pessimistic.");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var reportPath = Path.Combine(Report.FindRepositoryRoot(), "docs", "benchmarks.md");
        PostgresServer? postgres = null;
        try
        {
            if (options.Engines.Contains(Engine.Postgres))
                postgres = await PostgresServer.StartAsync();
            var versions = new Dictionary<Engine, string>();
            foreach (var engine in options.Engines)
                versions[engine] = engine == Engine.Sqlite ? await SqliteVersionAsync() : await postgres!.VersionAsync();

            foreach (var scenario in options.Scenarios)
            {
                foreach (var engine in scenario == "score" ? options.Engines.Take(1) : options.Engines)
                {
                    cancel.Token.ThrowIfCancellationRequested();
                    Console.WriteLine($"\n-- {scenario} on {Report.Name(engine)} (load average {Machine.LoadAverageNow()})");
                    var result = scenario switch
                    {
                        "rush" when options.Quick => await RushInvariants.RunAsync(engine, postgres, options, cancel.Token),
                        "rush" => await Rush.RunAsync(engine, postgres, options, cancel.Token),
                        "check" => await Check.RunAsync(engine, postgres, options, cancel.Token),
                        "sweep" => await SweepBench.RunAsync(engine, postgres, options, cancel.Token),
                        "page" => await Page.RunAsync(engine, postgres, options, cancel.Token),
                        "probe" => await Probe.RunAsync(engine, postgres, options, cancel.Token),
                        "score" => await Score.RunAsync(engine, options),
                        "workbook" => await Workbook.RunAsync(engine, postgres, options, cancel.Token),
                        _ => throw new ArgumentException(scenario),
                    };
                    result.LoadAtEnd = Machine.LoadAverageNow();
                    Report.Print(result);
                    if (options.WriteReport)
                        Report.Update(reportPath, result, machine, options.CommandLine, versions[engine]);
                }
            }

            if (options.WriteReport)
                Console.WriteLine($"\nWritten to {reportPath}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled.");
            return 2;
        }
        finally
        {
            if (postgres is not null)
                await postgres.DisposeAsync();
        }
    }

    private static async Task<string> SqliteVersionAsync()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return $"SQLite {(string)(await command.ExecuteScalarAsync())!} (Microsoft.Data.Sqlite, WAL, synchronous FULL, file on disk)";
    }
}
