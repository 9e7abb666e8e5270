using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>Rule 5: a sheet edited outside Harbor against the master, which wins; nothing is written.</summary>
public sealed class WorkbookReconcileTests(SharedApps apps)
{
    private static async Task<JsonElement> ReconcileAsync(HttpClient clerk, byte[] file)
    {
        var response = await clerk.PostAsync("/api/workbook/reconcile", Xlsx.Upload(file));
        return await response.AssertStatusAsync(HttpStatusCode.OK);
    }

    private static List<string?> Customers(JsonElement sheet, string list) =>
        [.. sheet.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("customer").GetString())];

    /// <summary>A property that is left out when null.</summary>
    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static Task<(int Customers, int Events, int Audit)> CountsAsync(HarborApp app) => app.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        return (await db.Customers.CountAsync(), await db.CustomerEvents.CountAsync(), await db.AuditEntries.CountAsync());
    });

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reconcile_EditedSheet_MatchesClaimsMissingAndDifferencesAndWritesNothing(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group, "对账甲");
        var other = await app.CreatePersonAsync("salesperson", group, "对账乙");
        var clerk = await app.CreatePersonAsync("clerk", null);
        var x = await owner.Client.RegisterOkAsync("星河贸易有限公司", "13811110001");
        (await owner.Client.PostAsJsonAsync($"/api/customers/{x}/followups", new { stage = "phone-call" })).EnsureSuccessStatusCode();
        await owner.Client.RegisterOkAsync("北京云帆科技有限公司");
        await owner.Client.RegisterOkAsync("漏掉的公司");
        await other.Client.RegisterOkAsync("别人的公司");
        var released = await owner.Client.RegisterOkAsync("放弃的公司");
        (await owner.Client.PostAsync($"/api/customers/{released}/release", null)).EnsureSuccessStatusCode();

        // English headers in another order, an extra column, a stage by its Chinese name.
        var file = Xlsx.Build(
            new SheetSpec("对账甲",
            [
                ["Phone", "Due date", "Customer", "Whatever", "Stage"],
                ["138-1111-0001", new DateOnly(2026, 12, 16), "星河贸易", "x", "电话拜访"],
                [null, new DateOnly(2026, 12, 20), "云帆科技（北京）有限公司", null, "约见"],
                [null, null, "别人的公司", null, null],
                ["13000000000", null, "从未登记公司", null, null],
                [null, null, "放弃的公司", null, null],
                ["13811110001", null, "换了名字的星河", null, null],
                [null, null, null, "只有备注", null],
            ]),
            new SheetSpec("不认识的人", [["客户"], ["别人的公司"]]),
            new SheetSpec("说明", [["这是说明"]]));
        var before = await CountsAsync(app);

        var body = await ReconcileAsync(clerk.Client, file);

        Assert.Equal(before, await CountsAsync(app));
        var sheet = body.GetProperty("sheets")[0];
        Assert.Equal("对账甲", sheet.GetProperty("sheet").GetString());
        Assert.Equal(owner.Id, sheet.GetProperty("salesperson").GetProperty("id").GetGuid());
        Assert.Equal(["星河贸易", "云帆科技（北京）有限公司"], Customers(sheet, "matching"));
        var differences = sheet.GetProperty("differences").EnumerateArray()
            .Select(d => (d.GetProperty("row").GetInt32(), d.GetProperty("field").GetString(), Text(d, "sheet"), Text(d, "master")))
            .ToList();
        Assert.Equal([(3, "due", "2026-12-20", "2026-12-16"), (3, "stage", "约见", null)], differences);
        var held = Assert.Single(sheet.GetProperty("heldByOthers").EnumerateArray());
        Assert.Equal("别人的公司", held.GetProperty("customer").GetString());
        Assert.Equal("对账乙", held.GetProperty("holder").GetString());
        Assert.Equal("protected", held.GetProperty("master").GetString());
        Assert.Equal([("从未登记公司", "not-registered"), ("放弃的公司", "pending-publication")],
            sheet.GetProperty("heldByNobody").EnumerateArray().Select(c => (c.GetProperty("customer").GetString(), c.GetProperty("master").GetString())));
        Assert.Equal(["漏掉的公司"], sheet.GetProperty("missingFromSheet").EnumerateArray().Select(m => m.GetProperty("customer").GetString()));
        Assert.Equal([7], sheet.GetProperty("duplicates").EnumerateArray().Select(d => d.GetProperty("row").GetInt32()));
        Assert.Equal([8], sheet.GetProperty("unreadable").EnumerateArray().Select(d => d.GetProperty("row").GetInt32()));

        var unknown = body.GetProperty("sheets")[1];
        Assert.False(unknown.TryGetProperty("salesperson", out _));
        Assert.Equal(["别人的公司"], Customers(unknown, "heldByOthers"));
        Assert.Empty(unknown.GetProperty("missingFromSheet").EnumerateArray());
        Assert.Equal("说明", Assert.Single(body.GetProperty("skippedSheets").EnumerateArray()).GetProperty("sheet").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reconcile_TheExportedMasterItself_EverythingMatches(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var name = app.UniqueName("往返");
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), name);
        var id = await sales.Client.RegisterOkAsync(app.UniqueName("往返客户甲"), "137" + Random.Shared.Next(10_000_000, 99_999_999));
        (await sales.Client.PostAsJsonAsync($"/api/customers/{id}/followups", new { stage = "objection-call" })).EnsureSuccessStatusCode();
        await sales.Client.RegisterOkAsync(app.UniqueName("往返客户乙"));
        var clerk = await app.CreatePersonAsync("clerk", null);
        var exported = await (await clerk.Client.GetAsync("/api/workbook")).Content.ReadAsByteArrayAsync();

        var body = await ReconcileAsync(clerk.Client, exported);

        var sheet = body.GetProperty("sheets").EnumerateArray().Single(s => s.GetProperty("sheet").GetString() == name);
        Assert.Equal(2, sheet.GetProperty("matching").GetArrayLength());
        foreach (var list in new[] { "heldByOthers", "heldByNobody", "missingFromSheet", "differences", "duplicates", "unreadable" })
            Assert.Equal(0, sheet.GetProperty(list).GetArrayLength());
        Assert.Contains(body.GetProperty("skippedSheets").EnumerateArray(), s => s.GetProperty("sheet").GetString() == "汇总");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reconcile_AnyoneButTheClerk_Refused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var file = Xlsx.Build(new SheetSpec("某人", [["客户"], ["某公司"]]));
        foreach (var role in new[] { "salesperson", "manager", "director" })
            await (await (await app.CreatePersonAsync(role, role == "director" ? null : group)).Client.PostAsync("/api/workbook/reconcile", Xlsx.Upload(file)))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var admin = await app.AdminAsync();
        await (await admin.PostAsync("/api/workbook/reconcile", Xlsx.Upload(file))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
