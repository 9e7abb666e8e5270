using System.Globalization;
using System.Text;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// Rule 5: one sheet per salesperson, named by their display name. Excel refuses a sheet name
/// with <c>[ ] : * ? / \</c>, longer than 31 characters, starting or ending with an apostrophe,
/// blank, or equal to another sheet's name ignoring case; it also reserves "History".
/// </summary>
public static class SheetNames
{
    public const int MaxLength = 31;

    /// <summary>The display name with the forbidden characters replaced and cut to 31 characters.</summary>
    public static string Safe(string? displayName)
    {
        var builder = new StringBuilder();
        foreach (var c in (displayName ?? "").Trim())
            builder.Append(c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' || char.IsControl(c) ? '_' : c);
        var name = builder.ToString().Trim('\'').Trim();
        if (name.Length == 0 || name.Equals("History", StringComparison.OrdinalIgnoreCase))
            name = "_" + name;
        // Cutting can leave an apostrophe at the end again.
        name = Cut(name, MaxLength).TrimEnd('\'');
        return name.Length == 0 ? "_" : name;
    }

    /// <summary>
    /// Safe, unique names in the order given; a repeated name gets " (2)", " (3)"... within the
    /// 31 characters. <paramref name="taken"/> holds names already used (the summary sheet).
    /// </summary>
    public static List<string> Assign(IEnumerable<string?> displayNames, IEnumerable<string> taken)
    {
        var used = new HashSet<string>(taken, StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var displayName in displayNames)
        {
            var name = Safe(displayName);
            for (var n = 2; used.Contains(name); n++)
            {
                var suffix = string.Create(CultureInfo.InvariantCulture, $" ({n})");
                name = Cut(Safe(displayName), MaxLength - suffix.Length) + suffix;
            }

            used.Add(name);
            names.Add(name);
        }

        return names;
    }

    /// <summary>Cuts to a length without splitting a surrogate pair.</summary>
    private static string Cut(string text, int length)
    {
        if (text.Length <= length)
            return text;
        var cut = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
        return text[..cut];
    }
}
