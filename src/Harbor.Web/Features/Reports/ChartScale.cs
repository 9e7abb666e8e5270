namespace Harbor.Web.Features.Reports;

/// <summary>
/// Round steps for a chart's vertical axis (1, 2 or 5 times a power of ten, about five lines),
/// so that a manager reads 0 · 20,000 · 40,000 rather than 0 · 10,240 · 20,480.
/// </summary>
public static class ChartScale
{
    public static int Step(double max, int lines = 5)
    {
        if (max <= lines)
            return 1;
        var rough = max / lines;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / power) switch
        {
            <= 1 => power,
            <= 2 => 2 * power,
            <= 5 => 5 * power,
            _ => 10 * power,
        };
        return (int)Math.Min(step, int.MaxValue);
    }
}
