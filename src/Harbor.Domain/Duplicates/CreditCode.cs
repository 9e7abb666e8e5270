namespace Harbor.Domain.Duplicates;

/// <summary>Unified social credit code (统一社会信用代码, GB 32100-2015): the strongest duplicate key a company has.</summary>
public static class CreditCode
{
    public const int Length = 18;

    // GB 32100-2015 code characters: digits and capitals without I, O, Z, S, V; a character's value is its index.
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // 3^i mod 31 for positions 1..17.
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    // Trimmed, full-width -> half-width, upper-cased, inner spaces removed; null for blank.
    public static string? Key(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return null;

        var text = CompanyName.FoldCompatibility(code);
        var key = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
                key.Append(char.ToUpperInvariant(c));
        }

        return key.ToString();
    }

    // 18 chars over the alphabet.
    public static bool IsWellFormed(string key)
    {
        if (key is null || key.Length != Length)
            return false;

        foreach (var c in key)
        {
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
                return false;
        }

        return true;
    }

    // Well-formed and check char correct: check = 31 - (sum mod 31), 31 -> 0.
    public static bool HasValidCheck(string key) =>
        IsWellFormed(key) && key[Length - 1] == CheckCharacter(key.AsSpan(0, Length - 1));

    /// <summary>The 18th character for the first 17 of a code; the characters must be over the alphabet.</summary>
    internal static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }
}
