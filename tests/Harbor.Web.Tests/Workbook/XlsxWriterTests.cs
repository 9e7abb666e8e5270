using Harbor.Web.Features.Workbook;

namespace Harbor.Web.Tests.Workbook;

/// <summary>The writer and the sheet names, without a server.</summary>
public sealed class XlsxWriterTests
{
    [Fact]
    public void WriteRow_FormulaLikeTextControlCharactersDatesAndNumbers_TextStaysTextAndXmlStaysValid()
    {
        using var output = new MemoryStream();
        using (var workbook = new XlsxWriter(output))
        {
            var sheet = workbook.AddSheet("表", [new("a", 10), new("b", 10), new("c", 10)]);
            foreach (var text in new[] { "=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a\u0001b", "普通" })
                sheet.WriteRow([XlsxCell.Of(text), XlsxCell.Of(new DateOnly(2026, 12, 16)), XlsxCell.Of(-3)]);
            sheet.Done();
            workbook.Finish();
        }

        var book = ProducedWorkbook.Read(output.ToArray());
        var rows = book.Rows("表").Skip(1).ToList();
        Assert.Equal(["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a\uFFFDb", "普通"], rows.Select(r => r["A"].Value));
        Assert.All(rows.Take(6), r => Assert.Equal("1", (string?)book.CellFormat(r["A"].Style).Attribute("quotePrefix")));
        Assert.All(rows.Skip(6), r => Assert.Null((string?)book.CellFormat(r["A"].Style).Attribute("quotePrefix")));
        Assert.All(rows, r => Assert.Equal("inlineStr", r["A"].Type));
        Assert.All(rows, r => Assert.Equal(new DateOnly(2026, 12, 16), ProducedWorkbook.DateOf(r["B"])));
        Assert.All(rows, r => Assert.Equal("-3", r["C"].Value));
        Assert.DoesNotContain(book.AllXml, xml => xml.Contains("<f>", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteRow_TextLongerThanTheBufferWithPairsAndEntitiesAtEveryOffset_RoundTripsExactly()
    {
        // The sheet writer encodes into a 32 KB buffer in pieces of a third of it: a value this
        // long crosses many piece and buffer edges, with a surrogate pair, an entity and a
        // carriage return landing on each kind of boundary somewhere.
        var piece = string.Concat(Enumerable.Range(0, 7).Select(i => new string('字', i) + "😀&<>\r" + new string('a', i)));
        var huge = string.Concat(Enumerable.Repeat(piece, 2500));
        var lone = "a\uD800b\uDC00c\uFFFEd\uFFFFe😀";
        using var output = new MemoryStream();
        using (var workbook = new XlsxWriter(output))
        {
            var sheet = workbook.AddSheet("长", [new("a", 10), new("b", 10)]);
            sheet.WriteRow([XlsxCell.Of(huge), XlsxCell.Of(lone)]);
            sheet.WriteRow([XlsxCell.Of(" 前后空格 "), XlsxCell.Of("=" + huge)]);
            sheet.Done();
            workbook.Finish();
        }

        var rows = ProducedWorkbook.Read(output.ToArray()).Rows("长").Skip(1).ToList();
        Assert.Equal(huge, rows[0]["A"].Value);
        Assert.Equal("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe😀", rows[0]["B"].Value);
        Assert.Equal(" 前后空格 ", rows[1]["A"].Value);
        Assert.Equal("=" + huge, rows[1]["B"].Value);
    }

    [Fact]
    public void AddSheet_ManyRowsOverSeveralSheetsSharingTheBuffer_EverySheetCompleteAndInOrder()
    {
        using var output = new MemoryStream();
        using (var workbook = new XlsxWriter(output))
        {
            foreach (var name in new[] { "甲", "乙 & <丙>", "丁" })
            {
                var sheet = workbook.AddSheet(name, [new("名称", 30), new("日期", 12), new("数", 8), new("小数", 8)]);
                for (var i = 0; i < 3000; i++)
                    sheet.WriteRow([XlsxCell.Of($"{name}客户{i}"), XlsxCell.Of(new DateOnly(2026, 1, 1).AddDays(i % 400)), XlsxCell.Of(i - 1500), XlsxCell.Empty]);
                Assert.Equal(3000, sheet.Rows);
                sheet.Done();
            }

            workbook.Finish();
        }

        var book = ProducedWorkbook.Read(output.ToArray());
        Assert.Equal(["甲", "乙 & <丙>", "丁"], book.SheetNames);
        foreach (var name in book.SheetNames)
        {
            var rows = book.Rows(name);
            Assert.Equal(3001, rows.Count);
            Assert.Equal(["名称", "日期", "数", "小数"], ProducedWorkbook.Texts(rows[0]));
            Assert.All(rows[0].Values, c => Assert.True(book.IsBold(c.Style)));
            for (var i = 0; i < 3000; i++)
            {
                var row = rows[i + 1];
                Assert.Equal($"{name}客户{i}", row["A"].Value);
                Assert.Equal(new DateOnly(2026, 1, 1).AddDays(i % 400), ProducedWorkbook.DateOf(row["B"]));
                Assert.Equal((i - 1500).ToString(System.Globalization.CultureInfo.InvariantCulture), row["C"].Value);
                Assert.False(row.ContainsKey("D"));
                Assert.Equal($"A{i + 2}", row["A"].Reference);
            }
        }
    }

    [Theory]
    [InlineData("张三", "张三")]
    [InlineData("王[五]:*?/\\", "王_五______")]
    [InlineData("  'quoted'  ", "quoted")]
    [InlineData("", "_")]
    [InlineData("History", "_History")]
    public void Safe_ForbiddenCharactersAndReservedNames_Replaced(string displayName, string expected) =>
        Assert.Equal(expected, SheetNames.Safe(displayName));

    [Fact]
    public void Assign_LongRepeatedAndSurrogateNames_UniqueWithin31()
    {
        var long40 = new string('长', 40);
        var emoji = new string('字', 30) + "😀";
        var names = SheetNames.Assign([long40, long40, "张三", "张三", "张三", "汇总", emoji], ["汇总", "Summary"]);

        Assert.Equal([new string('长', 31), new string('长', 27) + " (2)", "张三", "张三 (2)", "张三 (3)", "汇总 (2)", new string('字', 30)], names);
        Assert.All(names, n => Assert.True(n.Length <= SheetNames.MaxLength));
    }
}
