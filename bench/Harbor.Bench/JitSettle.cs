using System.Diagnostics;
using System.Runtime;

namespace Harbor.Bench;

/// <summary>
/// Waits for the JIT to finish tiering up. A server that has been up all day runs optimised code; a few
/// seconds into a run on two busy cores, much of Harbor still ran its first, unoptimised (tier-0) code
/// while the background compiler caught up (a perf profile of the page scenario, docs/benchmarks.md
/// "Session 5"), so a fixed two-second warm-up measured the JIT as much as Harbor.
/// </summary>
public static class JitSettle
{
    /// <summary>
    /// Returns once no method has been compiled for <paramref name="quiet"/>, and not before
    /// <paramref name="min"/> nor after <paramref name="max"/>; the caller keeps its load running meanwhile.
    /// </summary>
    public static async Task<string> WaitAsync(TimeSpan min, TimeSpan quiet, TimeSpan max, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var first = JitInfo.GetCompiledMethodCount();
        var last = first;
        var lastChange = started;
        while (true)
        {
            await Task.Delay(100, ct);
            var now = Stopwatch.GetTimestamp();
            var count = JitInfo.GetCompiledMethodCount();
            if (count != last)
            {
                last = count;
                lastChange = now;
            }

            var elapsed = Stopwatch.GetElapsedTime(started, now);
            var settled = Stopwatch.GetElapsedTime(lastChange, now) >= quiet;
            if (elapsed >= max || (elapsed >= min && settled))
                return $"{elapsed.TotalSeconds:0.0} s of warm-up, {last - first:N0} methods compiled meanwhile"
                    + (settled ? $", none in the last {quiet.TotalSeconds:0.#} s" : $"; still compiling at the {max.TotalSeconds:0} s limit");
        }
    }
}
