namespace Harbor.Web.Tests.Infrastructure;

/// <summary>Generates valid unified social credit codes (GB 32100-2015) for tests.</summary>
public static class CreditCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static int _next = Random.Shared.Next(1_000_000);

    public static string Next()
    {
        var serial = Interlocked.Increment(ref _next);
        var body = $"91110000{serial:D9}A"[..17];
        var sum = body.Select((c, i) => Alphabet.IndexOf(c, StringComparison.Ordinal) * Weights[i]).Sum();
        var check = (31 - sum % 31) % 31;
        return body + Alphabet[check];
    }
}
