namespace Harbor.Web.Http;

/// <summary>Enums travel as kebab-case words (<c>too-late</c>), in bodies and in query strings alike.</summary>
public static class KebabEnum
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text?.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out value) && Enum.IsDefined(value);
}
