using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>Rule 5's master workbook and a salesperson's own sheet, read back from the produced XML.</summary>
public sealed class WorkbookExportTests(SharedApps apps)
{
    private static readonly string[] ChineseHeaders = ["客户", "联系人", "电话", "阶段", "开始日期", "到期日", "剩余天数", "状态"];
    private static readonly string[] EnglishHeaders = ["Customer", "Contact", "Phone", "Stage", "Start", "Due", "Days left", "Status"];

    private static async Task<byte[]> DownloadAsync(HttpClient client, string url, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (language is not null)
            request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_Clerk_SummaryFirstThenOneSheetPerSalespersonWithChineseHeadersAndRealDates(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var name = "张三" + app.UniqueName("");
        var sales = await app.CreatePersonAsync("salesperson", group, name);
        var customer = app.UniqueName("北京星辰科技") + "有限公司";
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
        var id = (await (await sales.Client.RegisterAsync(customer, phone, contactName: "王经理")).AssertStatusAsync(HttpStatusCode.Created))
            .GetProperty("customerId").GetGuid();
        (await sales.Client.PostAsJsonAsync($"/api/customers/{id}/followups", new { stage = "first-meeting" })).EnsureSuccessStatusCode();
        var clerk = await app.CreatePersonAsync("clerk", null);

        var book = ProducedWorkbook.Read(await DownloadAsync(clerk.Client, "/api/workbook"));

        Assert.Equal("汇总", book.SheetNames[0]);
        Assert.Contains(name, book.SheetNames);
        var rows = book.Rows(name);
        Assert.Equal(ChineseHeaders, ProducedWorkbook.Texts(rows[0]));
        Assert.All(rows[0].Values, c => Assert.True(book.IsBold(c.Style)));
        var row = Assert.Single(rows.Skip(1));
        Assert.Equal([customer, "王经理", phone, "约见面谈"], ProducedWorkbook.Texts(row).Take(4));
        Assert.Equal(new DateOnly(2026, 12, 1), ProducedWorkbook.DateOf(row["E"]));
        Assert.Equal(new DateOnly(2026, 12, 16), ProducedWorkbook.DateOf(row["F"]));
        Assert.Null(row["E"].Type);
        Assert.Equal("yyyy-mm-dd", book.NumberFormat(row["E"].Style));
        Assert.Equal("15", row["G"].Value);
        Assert.Equal("保护中", row["H"].Value);

        // A frozen header row and set widths on every sheet.
        var sheet = book.Sheets[name].ToString();
        Assert.Contains("state=\"frozen\"", sheet);
        Assert.Contains("ySplit=\"1\"", sheet);
        Assert.Contains("customWidth=\"1\"", sheet);

        var summary = book.Rows("汇总");
        Assert.Equal(["销售人员", "销售组", "工作表", "保护中", "名额", "已签约", "明日到期"], ProducedWorkbook.Texts(summary[0]));
        var line = summary.Single(r => r["A"].Value == name);
        // salesperson, group, sheet, protected, slots, signed, due tomorrow
        Assert.Equal([name, name, "1", "15", "0", "0"], ProducedWorkbook.Texts(line).Where((_, i) => i != 1));
        Assert.Equal("合计", summary[^1]["A"].Value);
        Assert.DoesNotContain(book.AllXml, xml => xml.Contains("<f>", StringComparison.Ordinal) || xml.Contains("<f ", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_AcceptLanguageEnglish_EnglishHeadersAndWords(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var name = app.UniqueName("Li Si ");
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), name);
        await sales.Client.RegisterOkAsync(app.UniqueName("英文表头公司"));
        var clerk = await app.CreatePersonAsync("clerk", null);

        var book = ProducedWorkbook.Read(await DownloadAsync(clerk.Client, "/api/workbook", "en-US,en;q=0.9,zh-CN;q=0.5"));

        Assert.Equal("Summary", book.SheetNames[0]);
        var rows = book.Rows(name);
        Assert.Equal(EnglishHeaders, ProducedWorkbook.Texts(rows[0]));
        Assert.Equal("protected", rows[1]["H"].Value);
        Assert.Equal("Total", book.Rows("Summary")[^1]["A"].Value);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_ValuesThatLookLikeFormulas_AreQuotedTextAndNoCellIsAFormula(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var name = app.UniqueName("注入测试");
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), name);
        // Registration trims names, so a leading tab or CR reaches a sheet only through the writer (XlsxWriterTests).
        var evil = new[] { "=HYPERLINK(\"http://x\",\"点我\")" + app.UniqueName("公司"), "+SUM(1,2)" + app.UniqueName("公司"), "-2+3" + app.UniqueName("公司"),
            "@cmd" + app.UniqueName("公司") };
        foreach (var customer in evil)
            (await sales.Client.RegisterAsync(customer, "+86 139" + Random.Shared.Next(10_000_000, 99_999_999), contactName: "=1+1")).EnsureSuccessStatusCode();
        var clerk = await app.CreatePersonAsync("clerk", null);

        var book = ProducedWorkbook.Read(await DownloadAsync(clerk.Client, "/api/workbook"));

        var rows = book.Rows(name).Skip(1).ToList();
        Assert.Equal(evil.Length, rows.Count);
        foreach (var customer in evil)
        {
            var row = rows.Single(r => r["A"].Value == customer);
            foreach (var cell in new[] { row["A"], row["B"], row["C"] })
            {
                Assert.Equal("inlineStr", cell.Type);
                Assert.False(cell.HasFormula);
                Assert.Equal("1", (string?)book.CellFormat(cell.Style).Attribute("quotePrefix"));
            }

            Assert.Equal("=1+1", row["B"].Value);
        }

        Assert.DoesNotContain(book.AllXml, xml => xml.Contains("<f>", StringComparison.Ordinal) || xml.Contains("<f ", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_OthersThanTheClerk_Refused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        foreach (var role in new[] { "salesperson", "manager", "director" })
            await (await (await app.CreatePersonAsync(role, role == "director" ? null : group)).Client.GetAsync("/api/workbook"))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var admin = await app.AdminAsync();
        await (await admin.GetAsync("/api/workbook")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.CreateClient().GetAsync("/api/workbook")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_ExportRolesSetting_ManagerExportsWithOtherGroupsContactsMaskedAndItIsAudited(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Harbor:Workbook:ExportRoles:0"] = "clerk",
            ["Harbor:Workbook:ExportRoles:1"] = "manager",
        });
        var mine = await app.CreateGroupAsync();
        var other = await app.CreateGroupAsync();
        var ours = await app.CreatePersonAsync("salesperson", mine, "本组销售");
        var theirs = await app.CreatePersonAsync("salesperson", other, "外组销售");
        (await ours.Client.RegisterAsync(app.UniqueName("本组客户"), "13911112222", contactName: "赵大明")).EnsureSuccessStatusCode();
        (await theirs.Client.RegisterAsync(app.UniqueName("外组客户"), "13833334444", contactName: "钱小红")).EnsureSuccessStatusCode();
        var manager = await app.CreatePersonAsync("manager", mine);

        var book = ProducedWorkbook.Read(await DownloadAsync(manager.Client, "/api/workbook"));

        Assert.Equal(["赵大明", "13911112222"], ProducedWorkbook.Texts(book.Rows("本组销售")[1]).Skip(1).Take(2));
        Assert.Equal(["钱**", "138****4444"], ProducedWorkbook.Texts(book.Rows("外组销售")[1]).Skip(1).Take(2));
        Assert.DoesNotContain(book.AllXml, xml => xml.Contains("钱小红", StringComparison.Ordinal) || xml.Contains("13833334444", StringComparison.Ordinal));

        var audit = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.Export).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(manager.Id, entry.ActorId);
        Assert.Equal(HarborApp.Start, entry.At);
        Assert.Equal("master workbook: 2 rows", entry.Details);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task MySheet_Salesperson_OwnCustomersInFullAndAudited(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var name = app.UniqueName("自己");
        var sales = await app.CreatePersonAsync("salesperson", group, name);
        var colleague = await app.CreatePersonAsync("salesperson", group);
        var customer = app.UniqueName("自有客户");
        (await sales.Client.RegisterAsync(customer, "13755556666", contactName: "孙经理")).EnsureSuccessStatusCode();
        await colleague.Client.RegisterOkAsync(app.UniqueName("同事客户"));

        var book = ProducedWorkbook.Read(await DownloadAsync(sales.Client, "/api/me/sheet", "zh-CN"));

        Assert.Equal([name], book.SheetNames);
        var rows = book.Rows(name);
        Assert.Equal(ChineseHeaders, ProducedWorkbook.Texts(rows[0]));
        Assert.Equal([customer, "孙经理", "13755556666"], ProducedWorkbook.Texts(Assert.Single(rows.Skip(1))).Take(3));
        var audited = await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().AuditEntries.AsNoTracking()
            .AnyAsync(a => a.Action == AuditActions.Export && a.ActorId == sales.Id && a.Details == "own sheet: 1 rows"));
        Assert.True(audited);

        foreach (var role in new[] { "clerk", "director", "manager" })
            await (await (await app.CreatePersonAsync(role, role == "manager" ? group : null)).Client.GetAsync("/api/me/sheet"))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_CustomerWithoutContactPhoneStageOrDates_EmptyCellsNotEmptyTexts(Engine engine)
    {
        // The export reads missing texts as '' and missing days as a sentinel number (cheaper on
        // SQLite than IsDBNull and a day's text): a missing value must still be no cell at all.
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var name = "李四" + app.UniqueName("");
        var sales = await app.CreatePersonAsync("salesperson", group, name);
        var bare = app.UniqueName("空白科技") + "有限公司";
        var id = (await (await sales.Client.RegisterAsync(bare)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("customerId").GetGuid();
        var dated = app.UniqueName("有日期科技") + "有限公司";
        await sales.Client.RegisterOkAsync(dated);
        await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().Customers.Where(c => c.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.StartsOn, (DateOnly?)null).SetProperty(c => c.DueOn, (DateOnly?)null)
                .SetProperty(c => c.ContactName, (string?)null).SetProperty(c => c.Phone, (string?)null).SetProperty(c => c.Stage, (string?)null)));
        var clerk = await app.CreatePersonAsync("clerk", null);

        var rows = ProducedWorkbook.Read(await DownloadAsync(clerk.Client, "/api/workbook")).Rows(name).Skip(1).ToList();

        // No due date sorts first.
        Assert.Equal([bare, dated], rows.Select(r => r["A"].Value));
        Assert.Equal(["A", "H"], rows[0].Keys.Order(StringComparer.Ordinal));
        Assert.Equal("保护中", rows[0]["H"].Value);
        Assert.Equal(new DateOnly(2026, 12, 1), ProducedWorkbook.DateOf(rows[1]["E"]));
        Assert.Equal(new DateOnly(2026, 12, 16), ProducedWorkbook.DateOf(rows[1]["F"]));
        Assert.Equal("15", rows[1]["G"].Value);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_SmallPages_EverySheetCompleteAndSoonestDueFirst(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, new Dictionary<string, string?> { ["Harbor:Workbook:ExportPageSize"] = "2" });
        var group = await app.CreateGroupAsync();
        // Sheets follow the names' order. Seeded tokens outlive the days the clock moves; the names are set afterwards.
        var people = await app.SalespeopleAsync(3, group);
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var names = new[] { "A甲", "B乙", "C丙" };
            for (var i = 0; i < 3; i++)
                (await db.Users.SingleAsync(u => u.Id == people[i].Id)).DisplayName = names[i];
            return await db.SaveChangesAsync();
        });
        var (big, small, single) = (people[0], people[1], people[2]);
        var bigCustomers = new List<string>();
        for (var day = 0; day < 5; day++)
        {
            var customer = $"大客户{day}号公司";
            await big.Client.RegisterOkAsync(customer);
            bigCustomers.Add(customer);
            app.Clock.Advance(TimeSpan.FromDays(1));
        }

        await small.Client.RegisterOkAsync("小客户一号公司");
        await small.Client.RegisterOkAsync("小客户二号公司");
        await single.Client.RegisterOkAsync("单客户公司");
        var clerk = (await app.SeedPeopleAsync(Domain.Access.Role.Clerk, 1, null))[0];

        var book = ProducedWorkbook.Read(await DownloadAsync(clerk.Client, "/api/workbook"));

        Assert.Equal(["汇总", "A甲", "B乙", "C丙"], book.SheetNames);
        Assert.Equal(bigCustomers, book.Rows("A甲").Skip(1).Select(r => r["A"].Value));
        Assert.Equal(["小客户一号公司", "小客户二号公司"], book.Rows("B乙").Skip(1).Select(r => r["A"].Value).Order());
        Assert.Equal(["单客户公司"], book.Rows("C丙").Skip(1).Select(r => r["A"].Value));
        Assert.Equal(["5", "2", "1"], book.Rows("汇总").Skip(1).Take(3).Select(r => r["D"].Value));

        var own = ProducedWorkbook.Read(await DownloadAsync(big.Client, "/api/me/sheet"));
        Assert.Equal(bigCustomers, own.Rows("A甲").Skip(1).Select(r => r["A"].Value));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Master_UnsafeAndRepeatedDisplayNames_SafeUniqueSheetNames(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        await app.CreatePersonAsync("salesperson", group, "王[五]:*?/\\");
        await app.CreatePersonAsync("salesperson", group, "张三");
        await app.CreatePersonAsync("salesperson", group, "张三");
        await app.CreatePersonAsync("salesperson", group, new string('长', 40));
        await app.CreatePersonAsync("salesperson", group, "汇总");
        var clerk = await app.CreatePersonAsync("clerk", null);

        var book = ProducedWorkbook.Read(await DownloadAsync(clerk.Client, "/api/workbook"));

        Assert.Equal("汇总", book.SheetNames[0]);
        string[] expected = ["王_五______", "张三", "张三 (2)", new string('长', 31), "汇总 (2)"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), book.SheetNames.Skip(1).Order(StringComparer.Ordinal));
    }
}
