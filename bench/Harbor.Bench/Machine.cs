using System.Globalization;
using System.Runtime.InteropServices;

namespace Harbor.Bench;

/// <summary>What the figures were measured on: they only compare on the same kind of machine.</summary>
public sealed record Machine(int Cores, string Memory, string Os, string Runtime, string LoadAverage)
{
    public static Machine Describe() => new(
        Environment.ProcessorCount,
        MemoryTotal(),
        OsName(),
        RuntimeInformation.FrameworkDescription,
        LoadAverageNow());

    public static string LoadAverageNow()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>The one-minute load average: above the core count the figures are pessimistic.</summary>
    public static double LoadOneMinute() =>
        double.TryParse(LoadAverageNow().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : 0;

    private static string MemoryTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return $"{kb / 1024.0 / 1024.0:0.0} GiB";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            if (line is not null)
                return line["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.OSDescription;
    }

    public override string ToString() =>
        $"{Cores} cores, {Memory}, {Os}, {Runtime}, load average {LoadAverage} (1, 5, 15 min)";
}
