namespace Harbor.Bench;

public static class Check
{
    public static Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct) => throw new NotImplementedException();
}

public static class SweepBench
{
    public static Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct) => throw new NotImplementedException();
}

public static class Page
{
    public static Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct) => throw new NotImplementedException();
}
