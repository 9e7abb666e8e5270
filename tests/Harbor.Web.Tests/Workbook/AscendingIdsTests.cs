using Harbor.Web.Features.Workbook;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// The import's customer ids ascend in every stored form (SQLite's upper-case text, PostgreSQL's
/// uuid bytes), so its inserts append to the indexes led by a customer id; they stay version 7 ids.
/// </summary>
public sealed class AscendingIdsTests
{
    [Fact]
    public void Next_ManyIdsInOneMillisecond_AscendingAsTextAndAsBytesAndVersion7()
    {
        var now = new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);
        var ids = new AscendingIds(now);
        var all = Enumerable.Range(0, 70_000).Select(_ => ids.Next()).ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, id => Assert.Equal((7, true), (id.Version, id.Variant is >= 8 and <= 11)));
        var texts = all.Select(id => id.ToString("D").ToUpperInvariant()).ToList();
        Assert.Equal(texts.Order(StringComparer.Ordinal), texts);
        var bytes = all.Select(id => Convert.ToHexString(id.ToByteArray(bigEndian: true))).ToList();
        Assert.Equal(bytes.Order(StringComparer.Ordinal), bytes);
        // The millisecond is the import's own, as Guid.CreateVersion7 would give it.
        Assert.Equal(Guid.CreateVersion7(now).ToString("N")[..12], all[^1].ToString("N")[..12]);
    }
}
