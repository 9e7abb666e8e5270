using Harbor.Domain.Policy;
using Harbor.Web.Features.Workbook;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// The upload is read in one pass: the row limit and merged cells, which a checking pass used to
/// find before the cells were read, are now found while they are read. These are the refusals that
/// pass gave and the reading alone might miss: rows and merged cells in a sheet that is skipped
/// (no customer column in its first rows, so its cells are not read), the limit across sheets, and
/// the order of the refusals when a file has more than one fault.
/// </summary>
public sealed class WorkbookOnePassReadTests
{
    private static Cell?[][] Customers(int count) =>
        [["客户", "电话"], .. Enumerable.Range(1, count).Select(i => new Cell?[] { $"一遍读取{i:D3}有限公司", $"139{i:D8}" })];

    /// <summary>A sheet of notes: text in column A for <paramref name="rows"/> rows, no customer column.</summary>
    private static Cell?[][] Notes(int rows) => [.. Enumerable.Range(1, rows).Select(i => new Cell?[] { $"说明第{i}行", "备注" })];

    private static (Result<UploadedBook> Book, int Opened) Read(byte[] file, int maxRows = 200_000)
    {
        var opened = 0;
        var book = UploadedWorkbook.Read(() =>
        {
            opened++;
            return new MemoryStream(file, writable: false);
        }, new WorkbookOptions { MaxRows = maxRows });
        return (book, opened);
    }

    [Fact]
    public void Read_AGoodFile_OpensTheUploadOnceAndReadsEveryRow()
    {
        var (book, opened) = Read(Xlsx.Build(new SheetSpec("某人", Customers(30)), new SheetSpec("备注", Notes(25))));

        Assert.Equal(1, opened);
        Assert.True(book.Succeeded);
        Assert.Equal(30, Assert.Single(book.Value!.Sheets).Rows.Count);
        Assert.Equal("备注", Assert.Single(book.Value.Skipped).Sheet);
    }

    [Fact]
    public void Read_RowsOfASkippedSheet_CountTowardTheLimit()
    {
        // 3 + 12 rows is the limit exactly; one more row in the notes (past the rows searched for a header) passes it.
        var atLimit = Read(Xlsx.Build(new SheetSpec("某人", Customers(2)), new SheetSpec("备注", Notes(12))), maxRows: 15).Book;
        var overLimit = Read(Xlsx.Build(new SheetSpec("某人", Customers(2)), new SheetSpec("备注", Notes(13))), maxRows: 15).Book;

        Assert.True(atLimit.Succeeded);
        Assert.Equal("too-many-rows", overLimit.Refusal?.Code);
    }

    [Fact]
    public void Read_TheLimit_CountsEverySheetTogether()
    {
        var book = Read(Xlsx.Build(new SheetSpec("某人", Customers(9)), new SheetSpec("别人", Customers(9))), maxRows: 15).Book;

        Assert.Equal("too-many-rows", book.Refusal?.Code);
    }

    [Fact]
    public void Read_MergedCellsInASkippedSheet_PastItsFirstRows_RefuseTheFile()
    {
        var book = Read(Xlsx.Build(new SheetSpec("某人", Customers(2)), new SheetSpec("备注", Notes(14), ["A12:B12"]))).Book;

        var refusal = Assert.IsType<Refusal.UnreadableFile>(book.Refusal);
        Assert.Equal("merged-cells", refusal.Code);
        Assert.Equal(["备注!A12:B12"], refusal.Details);
    }

    [Fact]
    public void Read_MergedCellsAndWrongTypes_MergedCellsAreNamedFirst()
    {
        // As when the checking pass ran first: merged cells refuse the file before any cell's type is judged.
        var book = Read(Xlsx.Build(
            new SheetSpec("某人", [["客户", "开始日期"], ["某公司", "明天"]]),
            new SheetSpec("别人", [["客户", "电话"], ["另一公司", null]], ["A2:B2"]))).Book;

        Assert.Equal("merged-cells", book.Refusal?.Code);
    }
}
