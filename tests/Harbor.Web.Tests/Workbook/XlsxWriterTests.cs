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
