namespace Harbor.Web;

/// <summary>
/// The web app's words: <c>Resources/Strings.resx</c> is Chinese (the default), and
/// <c>Resources/Strings.en.resx</c> English. Pages take every text from here, in the words of
/// the glossary (shared/RULES.md).
/// </summary>
public sealed class Strings;
