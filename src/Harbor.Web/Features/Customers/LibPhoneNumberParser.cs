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

    public string? ToE164(string number, string defaultRegion)
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
}
