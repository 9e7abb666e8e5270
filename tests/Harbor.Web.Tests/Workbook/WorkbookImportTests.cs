using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Harbor.Web.Features.Workbook;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>Bringing a company's master workbook into Harbor: dry run, all or nothing, every row accounted for.</summary>
public sealed class WorkbookImportTests
{
    private static Task<(int Customers, int Events, int Imports)> CountsAsync(HarborApp app) => app.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        return (await db.Customers.CountAsync(), await db.CustomerEvents.CountAsync(), await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Import));
    });

    private static Dictionary<string, (string Outcome, string? Reason)> Outcomes(JsonElement report) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(
            r => $"{r.GetProperty("sheet").GetString()}:{r.GetProperty("row").GetInt32()}",
            r => (r.GetProperty("outcome").GetString()!, r.TryGetProperty("reason", out var reason) ? reason.GetString() : null));

    /// <summary>A company's master: good rows, a signed one, one past due, and every kind of bad row.</summary>
    private static byte[] MasterWorkbook() => Xlsx.Build(
        new SheetSpec("汇总", [["销售人员", "保护中"], ["导入甲", 3.0]]),
        new SheetSpec("导入甲",
        [
            ["客户", "联系人", "电话", "阶段", "开始日期"],
            ["甲一公司", "张先生", "13800000001", "电话拜访", new DateOnly(2026, 11, 25)],
            ["甲二公司", null, null, null, null],
            ["甲三公司", null, null, "签约收款", new DateOnly(2026, 10, 1)],
            ["甲四公司", null, null, "约见", "2026-11-01"],
            ["甲五公司", null, "12", null, null],
            ["甲六公司", null, null, "喝茶", null],
            ["甲一公司", null, null, null, null],
            ["改了名的已存在公司", null, "139-1234-0000", null, null],
            ["甲七公司", null, null, null, new DateOnly(2026, 12, 5)],
        ]),
        new SheetSpec("无此人", [["Customer"], ["乙一公司"]]));

    /// <summary>A registry is read whole when it is small (every test registry): this makes the import look its keys up window by window, as for a large one.</summary>
    private static readonly Dictionary<string, string?> LookedUpByWindow = new() { ["Harbor:Workbook:ImportWholeRegistryUpTo"] = "-1" };

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public Task Import_DryRunThenRefusedThenSkippingRejected_EveryRowAccountedForAndAllOrNothing(Engine engine) =>
        DryRunThenRefusedThenSkippingRejectedAsync(engine, null);

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public Task Import_DryRunThenRefusedThenSkippingRejected_RegistryLookedUpByWindow_TheSameOutcomes(Engine engine) =>
        DryRunThenRefusedThenSkippingRejectedAsync(engine, LookedUpByWindow);

    private static async Task DryRunThenRefusedThenSkippingRejectedAsync(Engine engine, Dictionary<string, string?>? settings)
    {
        await using var app = await HarborApp.StartAsync(engine, settings);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group, "导入甲");
        var other = await app.CreatePersonAsync("salesperson", group, "导入乙");
        await other.Client.RegisterOkAsync("已存在公司", "13912340000");
        using var admin = await app.AdminAsync();
        var file = MasterWorkbook();
        var before = await CountsAsync(app);

        // Dry run: the full report, nothing written.
        var dry = await (await admin.PostAsync("/api/workbook/import?dryRun=true", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("dry-run", dry.GetProperty("result").GetString());
        Assert.Equal(4, dry.GetProperty("imported").GetInt32());
        Assert.Equal(6, dry.GetProperty("rejected").GetInt32());
        var expected = new Dictionary<string, (string, string?)>
        {
            ["导入甲:2"] = ("imported", null),
            ["导入甲:3"] = ("imported", null),
            ["导入甲:4"] = ("imported", null),
            ["导入甲:5"] = ("imported", "already-due"),
            ["导入甲:6"] = ("rejected", "invalid"),
            ["导入甲:7"] = ("rejected", "unknown-stage"),
            ["导入甲:8"] = ("rejected", "duplicate-in-file"),
            ["导入甲:9"] = ("rejected", "customer-taken"),
            ["导入甲:10"] = ("rejected", "start-in-future"),
            ["无此人:2"] = ("rejected", "unknown-salesperson"),
        };
        Assert.Equal(expected, Outcomes(dry));
        Assert.Equal("汇总", Assert.Single(dry.GetProperty("skippedSheets").EnumerateArray()).GetProperty("sheet").GetString());
        Assert.Equal(before, await CountsAsync(app));

        // Rows rejected and not skipped: refused whole, nothing written.
        var refused = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertProblemAsync(HttpStatusCode.Conflict, "rows-rejected");
        Assert.Equal("refused", refused.GetProperty("report").GetProperty("result").GetString());
        Assert.Equal(expected, Outcomes(refused.GetProperty("report")));
        Assert.Equal(before, await CountsAsync(app));

        // Skipping the rejected rows: the accepted ones land together, with their events.
        var done = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file, fields: new Dictionary<string, string> { ["skipRejected"] = "true" })))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("imported", done.GetProperty("result").GetString());
        Assert.Equal(expected, Outcomes(done));
        var after = await CountsAsync(app);
        Assert.Equal((before.Customers + 4, 1), (after.Customers, after.Imports));

        var customers = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Customers.AsNoTracking()
            .Include(c => c.History).Where(c => c.Name != "已存在公司").ToDictionaryAsync(c => c.Name));
        Assert.Equal(["甲一公司", "甲三公司", "甲二公司", "甲四公司"], customers.Keys.Order(StringComparer.Ordinal));
        Assert.All(customers.Values, c => Assert.Equal(owner.Id, c.OwnerId));
        var first = customers["甲一公司"];
        Assert.Equal((CustomerStatus.Protected, new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 10), "phone-call", "张先生"),
            (first.Status, first.StartsOn, first.DueOn, first.Stage, first.ContactName));
        Assert.Equal((new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 16)), (customers["甲二公司"].StartsOn, customers["甲二公司"].DueOn));
        Assert.Equal(CustomerStatus.Signed, customers["甲三公司"].Status);
        Assert.Contains(customers["甲三公司"].History, e => e.Kind == CustomerEventKind.Signed && e.ActorId != null);
        var due = customers["甲四公司"];
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), "second-meeting"), (due.StartsOn, due.DueOn, due.Stage));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)), due.ReleaseAt);
        var registered = customers.Values.Select(c => c.History.Single(e => e.Kind == CustomerEventKind.Registered)).ToList();
        Assert.All(registered, e => Assert.Equal(ImportWorkbook.ImportedReason, e.Reason));
        Assert.Single(registered.Select(e => e.ActorId).Distinct());
        Assert.NotEqual(owner.Id, registered[0].ActorId);

        var sheet = await (await owner.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(3, sheet.GetProperty("slotsUsed").GetInt32());

        // The customer past due is published at 10:00, as the sweep would have done.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.SweepAsync();
        var published = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Customers.AsNoTracking().SingleAsync(c => c.Name == "甲四公司"));
        Assert.Equal(CustomerStatus.InPool, published.Status);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public Task Import_CleanFileIntoPartlyFilledHarbor_AllImportedThenTheSameFileAgainIsRefused(Engine engine) =>
        CleanFileIntoPartlyFilledHarborAsync(engine, null);

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public Task Import_CleanFileIntoPartlyFilledHarbor_RegistryLookedUpByWindow_TheSameOutcomes(Engine engine) =>
        CleanFileIntoPartlyFilledHarborAsync(engine, LookedUpByWindow);

    private static async Task CleanFileIntoPartlyFilledHarborAsync(Engine engine, Dictionary<string, string?>? settings)
    {
        await using var app = await HarborApp.StartAsync(engine, settings);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group, "Wang Wu");
        await owner.Client.RegisterOkAsync("早已登记公司");
        using var admin = await app.AdminAsync();
        var file = Xlsx.Build(new SheetSpec("Wang Wu",
        [
            ["Start", "Customer", "Credit code", "Stage", "Notes"],
            [new DateOnly(2026, 11, 30), "清白一号公司", null, "first-meeting", "老客户"],
            [null, "清白二号公司", CreditCodes.Next(), null, null],
        ]));

        var done = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(("imported", 2, 0), (done.GetProperty("result").GetString(), done.GetProperty("imported").GetInt32(), done.GetProperty("rejected").GetInt32()));
        Assert.All(done.GetProperty("rows").EnumerateArray(), r => Assert.NotEqual(Guid.Empty, r.GetProperty("customerId").GetGuid()));
        var sheet = await (await owner.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(3, sheet.GetProperty("slotsUsed").GetInt32());

        var again = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertProblemAsync(HttpStatusCode.Conflict, "rows-rejected");
        Assert.All(again.GetProperty("report").GetProperty("rows").EnumerateArray(), r => Assert.Equal("customer-taken", r.GetProperty("reason").GetString()));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_OverTheSlotLimit_RejectedAndListedInTheRejectedRowsWorkbook(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, new Dictionary<string, string?> { ["Harbor:Policy:SlotLimit"] = "2" });
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "满额");
        await owner.Client.RegisterOkAsync("手上已有公司");
        using var admin = await app.AdminAsync();
        var file = Xlsx.Build(new SheetSpec("满额",
        [
            ["客户", "电话", "阶段"],
            ["第一家公司", "13700000001", null],
            ["已签约公司", null, "签约收款"],
            ["第二家公司", "13700000002", null],
        ]));

        var dry = await (await admin.PostAsync("/api/workbook/import?dryRun=1", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(new Dictionary<string, (string, string?)>
        {
            ["满额:2"] = ("imported", null),
            ["满额:3"] = ("imported", null),
            ["满额:4"] = ("rejected", "quota-full"),
        }, Outcomes(dry));

        var response = await admin.PostAsync("/api/workbook/import?dryRun=true&report=xlsx", Xlsx.Upload(file));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var book = ProducedWorkbook.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["满额"], book.SheetNames);
        var rows = book.Rows("满额");
        Assert.Equal(["客户", "联系人", "电话", "阶段", "开始日期", "原工作表", "原行号", "原因", "说明"], ProducedWorkbook.Texts(rows[0]));
        var rejected = Assert.Single(rows.Skip(1));
        Assert.Equal(["第二家公司", "13700000002", "满额", "4", "quota-full"], new[] { rejected["A"], rejected["C"], rejected["F"], rejected["G"], rejected["H"] }.Select(c => c.Value));
        Assert.Equal(1, (await CountsAsync(app)).Customers);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_AnotherHarborsExport_SameCustomersDatesStagesAndContacts(Engine engine)
    {
        byte[] exported;
        await using (var source = await HarborApp.StartAsync(engine))
        {
            var sales = await source.CreatePersonAsync("salesperson", await source.CreateGroupAsync(), "往返甲");
            var id = (await (await sales.Client.RegisterAsync("往返一号公司", "13611112222", contactName: "周经理")).AssertStatusAsync(HttpStatusCode.Created))
                .GetProperty("customerId").GetGuid();
            (await sales.Client.PostAsJsonAsync($"/api/customers/{id}/followups", new { stage = "closing-meeting" })).EnsureSuccessStatusCode();
            await sales.Client.RegisterOkAsync("往返二号公司");
            var clerk = await source.CreatePersonAsync("clerk", null);
            exported = await (await clerk.Client.GetAsync("/api/workbook")).Content.ReadAsByteArrayAsync();
        }

        await using var app = await HarborApp.StartAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "往返甲");
        using var admin = await app.AdminAsync();

        var done = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(exported))).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal((2, 0), (done.GetProperty("imported").GetInt32(), done.GetProperty("rejected").GetInt32()));
        Assert.Equal("汇总", Assert.Single(done.GetProperty("skippedSheets").EnumerateArray()).GetProperty("sheet").GetString());
        var customers = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Customers.AsNoTracking()
            .OrderBy(c => c.Name).ToListAsync());
        Assert.Equal(
            [("往返一号公司", "13611112222", "周经理", "closing-meeting"), ("往返二号公司", null, null, null)],
            customers.Select(c => (c.Name, c.Phone, c.ContactName, c.Stage)));
        Assert.All(customers, c => Assert.Equal((owner.Id, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 16)), (c.OwnerId!.Value, c.StartsOn!.Value, c.DueOn!.Value)));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_AnyoneButTheAdmin_Refused(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var file = Xlsx.Build(new SheetSpec("某人", [["客户"], ["某公司"]]));
        foreach (var role in new[] { "salesperson", "manager", "director", "clerk" })
            await (await (await app.CreatePersonAsync(role, role is "director" or "clerk" ? null : group)).Client
                .PostAsync("/api/workbook/import?dryRun=true", Xlsx.Upload(file))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.CreateClient().PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
