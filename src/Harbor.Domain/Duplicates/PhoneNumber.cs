namespace Harbor.Domain.Duplicates;

/// <summary>Phone numbers as the duplicate check (查重) compares them: digits only, one spelling per number.</summary>
public static class PhoneNumber
{
    // Digits-only key for exact match: separators, spaces, brackets removed; +86 / 0086 / 86 prefix before an 11-digit mobile removed;
    // an extension ("转123", "ext. 12", "x12", "-ext") dropped; returns null for null/blank/no-digits input.
    public static string? Key(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
            return null;

        var text = CompanyName.FoldCompatibility(phone);
        Span<char> digits = text.Length <= 64 ? stackalloc char[64] : new char[text.Length];
        var count = 0;
        var plus = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
                continue;
            }

            // An extension marker ends the number. Before the first digit a lone x or # is part of a label
            // ("Fax:", "No.#") and a + is the international prefix.
            if (IsExtensionMarker(text, i, afterDigits: count > 0))
                break;
            if (count == 0)
                plus |= c == '+';
        }

        if (count == 0)
            return null;

        ReadOnlySpan<char> number = digits[..count];
        if (plus && number.StartsWith("86", StringComparison.Ordinal))
            return National(number[2..]);
        if (number.StartsWith("0086", StringComparison.Ordinal))
            return National(number[4..]);
        if (number.Length == 13 && number.StartsWith("86", StringComparison.Ordinal) && IsMobile(number[2..]))
            return number[2..].ToString();
        return number.ToString();
    }

    // After an explicit +86 / 0086 the rest is dialled as inside China: a mobile as it is, a landline
    // with its trunk 0 ("+86 10 8888 6666" is "010 8888 6666").
    private static string National(ReadOnlySpan<char> rest) =>
        rest.IsEmpty || IsMobile(rest) || rest[0] == '0' ? rest.ToString() : string.Concat("0", rest);

    private static bool IsMobile(ReadOnlySpan<char> digits) => digits.Length == 11 && digits[0] == '1';

    private static bool IsExtensionMarker(string text, int at, bool afterDigits)
    {
        var rest = text.AsSpan(at);
        return rest[0] == '转'
            || rest.StartsWith("分机", StringComparison.Ordinal)
            || (rest.StartsWith("ext", StringComparison.OrdinalIgnoreCase) && (at == 0 || !char.IsAsciiLetter(text[at - 1])))
            || (afterDigits && rest[0] is 'x' or 'X' or '#');
    }
}
