using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Harbor.Web.Tests.Ui;

/// <summary>All text comes from the resources, in both languages, and no page writes Chinese itself.</summary>
public sealed partial class ResourceTests
{
    private static readonly string Web = Path.Combine(Pages.RepositoryRoot(), "src", "Harbor.Web");

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Web, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    private static IEnumerable<string> Sources(string pattern) =>
        Directory.EnumerateFiles(Web, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void Resources_ChineseAndEnglish_HaveTheSameKeysAndNoBlanks()
    {
        var zh = Read("Strings.resx");
        var en = Read("Strings.en.resx");

        Assert.Equal(zh.Keys.Order(), en.Keys.Order());
        Assert.DoesNotContain(zh, p => string.IsNullOrWhiteSpace(p.Value));
        Assert.DoesNotContain(en, p => string.IsNullOrWhiteSpace(p.Value));
        foreach (var (key, value) in zh)
            Assert.True(Placeholders(value).SetEquals(Placeholders(en[key])), $"{key}: the two languages take different arguments");
    }

    [Fact]
    public void Pages_EveryLiteralKey_IsInTheResources()
    {
        var keys = Read("Strings.resx").Keys.ToHashSet();
        var missing = Sources("*.razor").Concat(Sources("*.cs"))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(k => !keys.Contains(k.Key) && !k.Key.EndsWith('_'))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Pages_WriteNoChineseOutsideComments()
    {
        var offending = Sources("*.razor")
            .Select(f => (File: Path.GetFileName(f), Text: RazorComment().Replace(File.ReadAllText(f), "")))
            .Where(f => Cjk().IsMatch(f.Text))
            .Select(f => f.File)
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Glossary_WordsOfThePolicy_AreTheWordsOfTheUi()
    {
        var zh = Read("Strings.resx");

        Assert.Equal("我的客户", zh["Nav_MyCustomers"]);
        Assert.Equal("报备", zh["Nav_Register"]);
        Assert.Equal("总库", zh["Nav_Registry"]);
        Assert.Equal("保护名额", zh["Slots_Label"]);
        Assert.Equal("公海", zh["Status_InPool"]);
        Assert.Equal("放弃", zh["Release"]);
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\bL\[""([A-Za-z0-9_.\-]+)""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"@\*.*?\*@|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}
