namespace Harbor.Domain.Duplicates;

/// <summary>
/// A name as the similarity score sees it: the symbols of its brand (or of its whole key, when nothing but
/// region and trade words name it) and the trades its trade words name. A symbol is a Latin letter or digit,
/// or a CJK character with its sound: <see cref="Raw"/> holds the character, <see cref="Fold"/> its toneless
/// syllable, so that homophones (星辰, 星晨) fold together.
/// </summary>
internal ref struct NameProfile
{
    public const int MaxSymbols = 64;

    // Folded CJK symbols live above the Unicode range: SyllableBase + syllable id.
    private const int SyllableBase = 0x110000;

    private const int StackLimit = 256;

    public Span<int> Raw;
    public Span<int> Fold;
    public int Length;
    public Trade Trade;

    /// <summary>
    /// The characters of the name's generic words (科技, 投资, 建材 ...), one bit per character by a stable hash:
    /// two names that share no bit share no part of a generic word. A collision only makes two names look as if
    /// they shared one.
    /// </summary>
    public ulong Words;

    /// <summary>True when the name has no brand: its whole key (region and trade words) is what names it.</summary>
    public bool WholeKey;

    /// <summary>True when a symbol is not a Latin letter or digit: compare by bigrams, not trigrams.</summary>
    public bool HasHan;

    public NameProfile(Span<int> raw, Span<int> fold)
    {
        Raw = raw;
        Fold = fold;
    }

    public readonly ReadOnlySpan<int> RawSymbols => Raw[..Length];

    public readonly ReadOnlySpan<int> FoldedSymbols => Fold[..Length];

    /// <summary>
    /// The lines of business the name names: 科技/技术 count as technology only when no other trade word is
    /// there; 贸易 covers every line of goods.
    /// </summary>
    public readonly Trade EffectiveTrade
    {
        get
        {
            var strong = Trade & ~Trade.WeakTech;
            if (strong == Trade.None && (Trade & Trade.WeakTech) != 0)
                return Trade.Tech;
            return (strong & Trade.Commerce) != 0 ? strong | Trade.Goods : strong;
        }
    }

    public static bool IsSyllable(int fold) => fold >= SyllableBase;

    public static int SyllableId(int fold) => fold - SyllableBase;

    /// <summary>Fills the profile with the brand of <paramref name="name"/>, or with its whole key when it has none.</summary>
    public void Analyse(NormalizedCompanyName name)
    {
        var core = name.Core;
        if (!CompanyName.IsGenericOnly(core))
        {
            var length = core.Length;
            var buffer = length <= StackLimit ? stackalloc char[StackLimit] : new char[length];
            length = Simplify(core, buffer);
            var text = buffer[..length];

            // A district after the stripped city (天河区华创电子) is not part of the brand, unless it is all there is.
            var district = DistrictLength(text);
            if (district > 0 && Tokenise(text[district..]) >= 2)
                return;
            if (Tokenise(text) > 0)
                return;
        }

        AnalyseWholeKey(name);
    }

    /// <summary>Fills the profile with every symbol of the key: for names without a brand (北京大学, 中国银行).</summary>
    public void AnalyseWholeKey(NormalizedCompanyName name)
    {
        var key = name.Key;
        Length = 0;
        Trade = Trade.None;
        Words = 0;
        WholeKey = true;
        HasHan = false;
        for (var i = 0; i < key.Length && Length < MaxSymbols; i++)
        {
            if (char.IsHighSurrogate(key[i]) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                Add(char.ConvertToUtf32(key[i], key[i + 1]));
                i++;
            }
            else
            {
                Add(Hanzi.Simplify(key[i]));
            }
        }
    }

    // Simplified characters, and a character typed twice in a row (华华创达) once.
    private static int Simplify(string core, Span<char> buffer)
    {
        var length = 0;
        foreach (var c in core)
        {
            var simplified = Hanzi.Simplify(c);
            if (length > 0 && simplified >= '\u4E00' && buffer[length - 1] == simplified)
                continue;
            buffer[length++] = simplified;
        }

        return length;
    }

    private static int DistrictLength(ReadOnlySpan<char> text)
    {
        // 天河区, 浦东新区, 顺德区, 余杭区, 昌平县: up to four characters, then 区, 县 or 旗.
        for (var k = 1; k <= 4 && k < text.Length - 1; k++)
        {
            if (text[k] is '区' or '县' or '旗')
                return k + 1;
            if (text[k] < '\u4E00')
                return 0;
        }

        return 0;
    }

    // Splits the core into trade words, regions and brand symbols; returns the number of brand symbols.
    // Trade words stand at the end of a name, so greedy matching from the start goes wrong (平安保险 is not
    // 平 + 安保 + 险): the split chosen has the fewest brand characters, then the fewest separate brand runs.
    // A region inside the core (云帆科技深圳, 有限公司上海分公司) is left out when only trade words and regions
    // follow it and no brand character comes right before it.
    private int Tokenise(scoped ReadOnlySpan<char> text)
    {
        Length = 0;
        Trade = Trade.None;
        Words = 0;
        WholeKey = false;
        HasHan = false;

        var n = Math.Min(text.Length, StackLimit);
        text = text[..n];

        // tail[j]: text[j..] is nothing but trade words and regions.
        Span<bool> tail = stackalloc bool[n + 1];
        tail[n] = true;
        for (var j = n - 1; j >= 0; j--)
        {
            foreach (var word in TradeWords.StartingWith(text[j]))
            {
                if (j + word.Text.Length <= n && tail[j + word.Text.Length] && text[j..].StartsWith(word.Text, StringComparison.Ordinal))
                {
                    tail[j] = true;
                    break;
                }
            }

            if (!tail[j] && Regions.TryMatchPrefix(text[j..], out _, out var regionLength) && tail[j + regionLength])
                tail[j] = true;
        }

        // cost[2 * i + b]: least cost to split text[..i], the last token a brand character when b is 1.
        // A brand character costs 2, starting a new brand run 1 more.
        const int Unreached = int.MaxValue;
        Span<int> cost = stackalloc int[2 * (n + 1)];
        Span<int> from = stackalloc int[2 * (n + 1)];
        Span<int> wordIndex = stackalloc int[2 * (n + 1)];
        cost.Fill(Unreached);
        cost[0] = 0;
        for (var i = 0; i < n; i++)
        {
            for (var b = 0; b < 2; b++)
            {
                var here = cost[2 * i + b];
                if (here == Unreached)
                    continue;

                var words = TradeWords.StartingWith(text[i]);
                for (var w = 0; w < words.Length; w++)
                {
                    var end = i + words[w].Text.Length;
                    if (end <= n && text[i..].StartsWith(words[w].Text, StringComparison.Ordinal))
                        Relax(cost, from, wordIndex, 2 * end, here, 2 * i + b, w);
                }

                if (b == 0 && i > 0 && Regions.TryMatchPrefix(text[i..], out _, out var regionLength) && tail[i + regionLength])
                    Relax(cost, from, wordIndex, 2 * (i + regionLength), here, 2 * i + b, RegionToken);

                var step = char.IsHighSurrogate(text[i]) && i + 1 < n && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                Relax(cost, from, wordIndex, 2 * (i + step) + 1, here + 2 + (b == 0 ? 1 : 0), 2 * i + b, BrandToken);
            }
        }

        var state = cost[2 * n] <= cost[2 * n + 1] ? 2 * n : 2 * n + 1;

        // Walk back to the start, then read the tokens forwards.
        Span<int> path = stackalloc int[n + 1];
        var count = 0;
        for (var s = state; s != 0; s = from[s])
            path[count++] = s;

        var position = 0;
        for (var k = count - 1; k >= 0; k--)
        {
            var next = path[k] / 2;
            var token = wordIndex[path[k]];
            if (token == BrandToken)
                Add(next - position == 2 ? char.ConvertToUtf32(text[position], text[position + 1]) : text[position]);
            else if (token >= 0)
            {
                var word = TradeWords.StartingWith(text[position])[token];
                Trade |= word.Trade;
                Words |= word.Mark;
            }
            position = next;
        }

        return Length;
    }

    private const int BrandToken = -1;
    private const int RegionToken = -2;

    private static void Relax(Span<int> cost, Span<int> from, Span<int> token, int to, int value, int source, int kind)
    {
        if (value >= cost[to])
            return;
        cost[to] = value;
        from[to] = source;
        token[to] = kind;
    }

    private void Add(int codePoint)
    {
        if (Length >= MaxSymbols)
            return;

        var fold = codePoint;
        if (codePoint is >= 0x4E00 and <= 0x9FFF)
        {
            var syllable = Hanzi.SyllableOf((char)codePoint);
            if (syllable > 0)
                fold = SyllableBase + syllable;
        }

        if (codePoint >= 0x80)
            HasHan = true;
        Raw[Length] = codePoint;
        Fold[Length] = fold;
        Length++;
    }
}
