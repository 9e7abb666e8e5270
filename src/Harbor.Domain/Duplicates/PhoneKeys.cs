namespace Harbor.Domain.Duplicates;

/// <summary>
/// The port to a phone-number library (ADR-008). Numbering plans change every year and the field keeps them
/// in libphonenumber; the domain stays BCL-only, so the web host plugs the library in here.
/// </summary>
public interface IPhoneNumberParser
{
    /// <summary>
    /// The number in E.164 ("+861088886666"), read as written in <paramref name="defaultRegion"/> when it has no
    /// country code; null when the library cannot read it as a number at all.
    /// </summary>
    /// <param name="number">Digits only, with at most a leading +: labels and extensions are already gone.</param>
    string? ToE164(string number, string defaultRegion);
}

/// <summary>
/// Phone numbers as the duplicate check (查重) compares them: one spelling per number, E.164
/// ("+861088886666"), with China as the default region. What counts as the number (extensions dropped,
/// labels ignored) is the policy's and lives here; reading a numbering plan is the parser's.
/// </summary>
public sealed class PhoneKeys(IPhoneNumberParser parser)
{
    /// <summary>The region a number written without a country code is read in.</summary>
    public const string DefaultRegion = "CN";

    // E.164 key for exact match: "(010) 8888-6666", "010-88886666" and "+86 10 88886666" are all
    // "+861088886666"; a mobile is "+8613800138000" with or without +86 / 0086 / 86. An extension
    // ("转123", "分机 8001", "ext. 12", "x12", "#12") is dropped: one switchboard is one company.
    // A number the parser cannot read at all keeps its digits (no +), so it still matches itself.
    // Returns null for null/blank/no-digits input.
    public string? Key(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
            return null;

        var text = CompanyName.FoldCompatibility(phone);
        Span<char> buffer = text.Length < 64 ? stackalloc char[65] : new char[text.Length + 1];
        var count = 0;
        var digits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                buffer[count++] = c;
                digits++;
                continue;
            }

            // An extension marker ends the number. Before the first digit a lone x or # is part of a label
            // ("Fax:", "No.#") and a + is the international prefix.
            if (IsExtensionMarker(text, i, afterDigits: digits > 0))
                break;
            if (digits == 0 && c == '+' && count == 0)
                buffer[count++] = '+';
        }

        if (digits == 0)
            return null;

        // Digits and the leading + only: the parser then sees neither labels nor Chinese
        // extension words, and still strips a trunk 0 written after +86 ("+86 (0)10 ...").
        var number = buffer[..count].ToString();
        return parser.ToE164(number, DefaultRegion) ?? number.TrimStart('+');
    }

    /// <summary>Too short to be a phone number: fewer than five digits after the country code of China (+86).</summary>
    public static bool IsTooShort(string key) =>
        (key.StartsWith("+86", StringComparison.Ordinal) ? key.Length - 3 : key.TrimStart('+').Length) < 5;

    private static bool IsExtensionMarker(string text, int at, bool afterDigits)
    {
        var rest = text.AsSpan(at);
        return rest[0] == '转'
            || rest.StartsWith("分机", StringComparison.Ordinal)
            || (rest.StartsWith("ext", StringComparison.OrdinalIgnoreCase) && (at == 0 || !char.IsAsciiLetter(text[at - 1])))
            || (afterDigits && rest[0] is 'x' or 'X' or '#');
    }
}
