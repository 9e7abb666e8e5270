using System.Diagnostics;
using System.Globalization;

namespace Harbor.Bench;

/// <summary>Latencies in milliseconds, and the percentiles that the targets are stated in.</summary>
public sealed class Latencies
{
    private readonly List<double> _values = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
                return _values.Count;
        }
    }

    public void Add(long startTimestamp, long endTimestamp) => Add(Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMilliseconds);

    public void Add(double milliseconds)
    {
        lock (_lock)
            _values.Add(milliseconds);
    }

    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_values.Count == 0)
                return double.NaN;
            var sorted = _values.Order().ToArray();
            // Nearest rank: p99 of 100 values is the 99th, so one outlier in a hundred shows.
            var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    public double Max
    {
        get
        {
            lock (_lock)
                return _values.Count == 0 ? double.NaN : _values.Max();
        }
    }

    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(value.TotalSeconds < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " s";
}

public static class Stats
{
    /// <summary>Nearest-rank percentile of a list of milliseconds.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// This process's CPU time (Harbor, its clients and the floor share the process). It includes the
/// runtime's spin-waiting, which grows when threads wait, so it is a rough figure; the sampled
/// profile (docs/benchmarks.md) says where the CPU goes.
/// </summary>
public readonly record struct CpuMeter(TimeSpan Start)
{
    public static CpuMeter StartNew() => new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);

    public TimeSpan Elapsed => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - Start;

    public string PerRequest(int requests) => $"{Elapsed.TotalMilliseconds / Math.Max(1, requests):0.00} ms CPU per request ({Elapsed.TotalSeconds:0.00} s for {requests:N0})";
}
