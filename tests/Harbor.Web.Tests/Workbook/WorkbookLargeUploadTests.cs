using System.Net;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// An upload with more keys than SQLite takes parameters in one statement (32,766): EF Core 10
/// sends each key of a Contains list as a parameter, so matching went past the limit and answered
/// 500 (found by bench/Harbor.WorkbookBench import). The keys now go in chunks.
/// </summary>
public sealed class WorkbookLargeUploadTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ImportDryRunAndReconcile_MoreKeysThanSqliteParameters_Answered(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        await app.CreatePersonAsync("salesperson", group, "大表甲");
        var clerk = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();
        const int rows = 33_000;
        var sheet = new Cell?[rows + 1][];
        sheet[0] = ["客户", "电话"];
        for (var i = 1; i <= rows; i++)
            sheet[i] = [$"大表{i:D5}贸易有限公司", $"139{i:D8}"];
        var file = Xlsx.Build(new SheetSpec("大表甲", sheet));

        var dry = await (await admin.PostAsync("/api/workbook/import?dryRun=true", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(rows, dry.GetProperty("imported").GetInt32() + dry.GetProperty("rejected").GetInt32());

        var reconcile = await (await clerk.Client.PostAsync("/api/workbook/reconcile", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(rows, reconcile.GetProperty("sheets")[0].GetProperty("heldByNobody").GetArrayLength());
    }
}
