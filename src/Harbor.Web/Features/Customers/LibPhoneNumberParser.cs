using Harbor.Domain.Duplicates;
using PhoneNumbers;

namespace Harbor.Web.Features.Customers;

/// <summary>
/// The domain's phone-number port (ADR-008) over libphonenumber-csharp, the field's standard: it knows every
/// country's numbering plan, China's area codes and trunk prefix included, which Harbor would otherwise copy
/// badly. Stateless and thread-safe, so one instance serves the whole host (<see cref="Keys"/>).
/// </summary>
public sealed class LibPhoneNumberParser : IPhoneNumberParser
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The phone keys every part of the host computes with: requests, re-keying at start, import, bench.</summary>
    public static PhoneKeys Keys { get; } = new(new LibPhoneNumberParser());

    public string? ToE164(string number, string defaultRegion) =>
        ChineseMobile(number, defaultRegion) ?? ByLibrary(number, defaultRegion);

    /// <summary>The library's answer, always (the fast path's reference in PhoneFastPathTests).</summary>
    internal static string? ByLibrary(string number, string defaultRegion)
    {
        try
        {
            return Util.Format(Util.Parse(number, defaultRegion), PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// The commonest number in a Chinese registry, a mobile (1[3-9] and nine digits, bare or after +86),
    /// without the library: its parse (regular expressions for the international prefix, the country
    /// code, the trunk prefix and carrier codes) was three quarters of validating a 100,000-row master
    /// workbook (bench/Harbor.WorkbookBench import, dotnet-trace). The library's answer for these is
    /// always "+86" and the eleven digits; 179 is left to it, because China's carrier-selection codes
    /// (179xx) make it strip them, and so are 11-12, which it reads as carrier codes too.
    /// PhoneFastPathTests compares both over every prefix, so a library upgrade that reads
    /// them otherwise fails there. Null when the number is not of this shape.
    /// </summary>
    internal static string? ChineseMobile(string number, string defaultRegion)
    {
        if (defaultRegion != PhoneKeys.DefaultRegion)
            return null;
        var national = number.Length switch
        {
            11 => number.AsSpan(),
            14 when number.StartsWith("+86", StringComparison.Ordinal) => number.AsSpan(3),
            _ => default,
        };
        if (national.Length != 11 || national[0] != '1' || national[1] is < '3' or > '9' || national.StartsWith("179"))
            return null;
        foreach (var c in national)
            if (!char.IsAsciiDigit(c))
                return null;
        return number.Length == 14 ? number : string.Concat("+86", number);
    }
}
