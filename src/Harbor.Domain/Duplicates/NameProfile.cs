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

    /// <summary>The trades the name names; 科技/技术 count as technology only when no other trade word is there.</summary>
    public readonly Trade EffectiveTrade
    {
        get
        {
            var strong = Trade & ~Trade.WeakTech;
            return strong == Trade.None && (Trade & Trade.WeakTech) != 0 ? Trade.Tech : strong;
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
    private int Tokenise(scoped ReadOnlySpan<char> text)
    {
        Length = 0;
        Trade = Trade.None;
        WholeKey = false;
        HasHan = false;

        // A region inside the core (云帆科技深圳, 有限公司上海分公司) is part of the brand only when brand follows it.
        int pendingStart = 0, pendingEnd = 0;
        var i = 0;
        while (i < text.Length && Length < MaxSymbols)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                var end = i;
                while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))
                    end++;
                TokeniseLatin(text[i..end], text, ref pendingStart, ref pendingEnd);
                i = end;
                continue;
            }

            var word = TradeWords.Match(text[i..], out var trade);
            var region = 0;
            if (i > 0 && Regions.TryMatchPrefix(text[i..], out _, out var regionLength) && regionLength > word)
                region = regionLength;

            if (region > 0)
            {
                if (pendingEnd < i)
                    pendingStart = i;
                pendingEnd = i + region;
                i += region;
            }
            else if (word > 0)
            {
                Trade |= trade;
                i += word;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                FlushPending(text, ref pendingStart, ref pendingEnd);
                Add(char.ConvertToUtf32(c, text[i + 1]));
                i += 2;
            }
            else
            {
                FlushPending(text, ref pendingStart, ref pendingEnd);
                Add(c);
                i++;
            }
        }

        return Length;
    }

    private void TokeniseLatin(scoped ReadOnlySpan<char> run, scoped ReadOnlySpan<char> text, ref int pendingStart, ref int pendingEnd)
    {
        var p = 0;
        while (p < run.Length && Length < MaxSymbols)
        {
            var trade = Trade.None;
            var word = char.IsAsciiLetter(run[p]) ? TradeWords.Match(run[p..], out trade) : 0;
            if (word > 0)
            {
                Trade |= trade;
                p += word;
                continue;
            }

            FlushPending(text, ref pendingStart, ref pendingEnd);
            Add(run[p]);
            p++;
        }
    }

    private void FlushPending(scoped ReadOnlySpan<char> text, ref int pendingStart, ref int pendingEnd)
    {
        for (var k = pendingStart; k < pendingEnd && Length < MaxSymbols; k++)
            Add(text[k]);
        pendingStart = pendingEnd = 0;
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
