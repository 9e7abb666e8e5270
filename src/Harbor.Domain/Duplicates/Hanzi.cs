namespace Harbor.Domain.Duplicates;

/// <summary>
/// What the duplicate check knows about a CJK character beyond its code: its simplified form and its
/// toneless Mandarin syllable. Loaded once from the embedded pinyin.txt and traditional.txt (Unihan 15.0).
/// </summary>
internal static class Hanzi
{
    private const char First = '\u4E00';
    private const char Last = '\u9FFF';

    private static readonly Lazy<Table> Data = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Number of distinct syllables; syllable ids run from 1 to this.</summary>
    public static int SyllableCount => Data.Value.Syllables.Length - 1;

    /// <summary>The simplified form of a traditional character (騰 -> 腾); any other character is returned as it is.</summary>
    public static char Simplify(char c)
    {
        if (c is < First or > Last)
            return c;
        var simplified = Data.Value.Simplified[c - First];
        return simplified == '\0' ? c : simplified;
    }

    /// <summary>The id (1..<see cref="SyllableCount"/>) of the toneless syllable of <paramref name="c"/>, or 0 when unknown.</summary>
    public static int SyllableOf(char c) => c is < First or > Last ? 0 : Data.Value.SyllableIds[c - First];

    /// <summary>The syllable with id <paramref name="id"/> (chen, xing, lv).</summary>
    public static string Syllable(int id) => Data.Value.Syllables[id];

    private static Table Load()
    {
        var syllables = new List<string> { "" };
        var ids = new ushort[Last - First + 1];
        foreach (var line in ReadLines("pinyin.txt"))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var id = (ushort)syllables.Count;
            syllables.Add(line[..space]);
            foreach (var c in line.AsSpan(space + 1))
            {
                if (c is >= First and <= Last)
                    ids[c - First] = id;
            }
        }

        var simplified = new char[Last - First + 1];
        foreach (var line in ReadLines("traditional.txt"))
        {
            foreach (var pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (pair.Length == 2 && pair[0] is >= First and <= Last)
                    simplified[pair[0] - First] = pair[1];
            }
        }

        // A traditional character without a reading of its own reads as its simplified form.
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] == 0 && simplified[i] is >= First and <= Last)
                ids[i] = ids[simplified[i] - First];
        }

        return new Table([.. syllables], ids, simplified);
    }

    private static IEnumerable<string> ReadLines(string file)
    {
        var name = $"Harbor.Domain.Duplicates.{file}";
        using var stream = typeof(Hanzi).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
                yield return line;
        }
    }

    private sealed record Table(string[] Syllables, ushort[] SyllableIds, char[] Simplified);
}
