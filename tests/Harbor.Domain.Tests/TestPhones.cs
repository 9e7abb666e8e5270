using Harbor.Domain.Duplicates;

namespace Harbor.Domain.Tests;

/// <summary>
/// A stand-in for the phone library behind <see cref="IPhoneNumberParser"/>: China's dialling rules at their
/// simplest (00 is the international prefix, a leading 0 the trunk prefix, anything else is Chinese), and it
/// remembers what it was asked. The real library's answers are tested in Harbor.Web.Tests (PhoneKeysTests).
/// </summary>
internal sealed class TestPhones : IPhoneNumberParser
{
    public static PhoneKeys Keys { get; } = new(new TestPhones());

    public List<string> Asked { get; } = [];

    public string? ToE164(string number, string defaultRegion)
    {
        Asked.Add(number);
        if (number.StartsWith('+'))
            return number;
        if (number.StartsWith("00", StringComparison.Ordinal))
            return "+" + number[2..];
        if (number.Length < 5)
            return null;
        return "+86" + (number.StartsWith('0') ? number[1..] : number);
    }
}
