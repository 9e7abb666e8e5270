namespace Harbor.Domain.Access;

/// <summary>
/// Contacts shown to someone who may not see them (the pool before a claim): enough to recognise
/// a customer, never enough to call it.
/// </summary>
public static class Masking
{
    /// <summary>138****5678: the first three and last four digits of a mobile; fewer for short numbers.</summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
            return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 11)
            digits = digits[^11..];
        if (digits.Length < 7)
            return new string('*', Math.Max(digits.Length, 4));
        var keep = digits.Length >= 11 ? 3 : 2;
        return digits[..keep] + new string('*', digits.Length - keep - 4) + digits[^4..];
    }

    /// <summary>张** : the family name and a star per other character.</summary>
    public static string? Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var trimmed = name.Trim();
        var first = char.IsSurrogate(trimmed[0]) && trimmed.Length > 1 ? trimmed[..2] : trimmed[..1];
        return first + new string('*', Math.Max(1, trimmed.Length - first.Length));
    }
}
