using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Workbook;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// The import writes customers past EF Core (<see cref="BulkCustomers"/>): what it writes must read
/// back exactly as what EF writes, and a failure part-way must leave nothing behind.
/// </summary>
public sealed class WorkbookBulkWriteTests(SharedApps apps)
{
    private static Customer Sample(string name, string phone, Guid owner, Guid actor, DateTimeOffset now, CompanyCalendar calendar, PolicySettings policy, bool signed)
    {
        var details = new CustomerDetails(name, phone, CreditCodes.Next(), "赵经理", "上海市某路 8 号", "老客户\n第二行").Validate(LibPhoneNumberParser.Keys).Value!;
        var term = ProtectionTerm.Starting(calendar.DayOf(now).AddDays(-3), policy.ProtectionDays, calendar);
        var customer = Customer.Register(Guid.CreateVersion7(now), details, owner, term, actor, now, ImportWorkbook.ImportedReason);
        customer.RecordFollowUp(policy.Stages[2], now);
        if (signed)
            customer.Sign(actor, policy.Stages[^1], now);
        return customer;
    }

    /// <summary>Every mapped property of two customers that differ, by name.</summary>
    private static List<string> Differences(HarborDbContext db, Customer expected, Customer actual, params string[] except) =>
        [.. db.Model.FindEntityType(typeof(Customer))!.GetProperties().Where(p => !except.Contains(p.Name)).Select(p => (p.Name, Getter: p.GetGetter()))
            .Where(p => !Equals(p.Getter.GetClrValueUsingContainingEntity(expected), p.Getter.GetClrValueUsingContainingEntity(actual)))
            .Select(p => $"{p.Name}: {p.Getter.GetClrValueUsingContainingEntity(expected)} / {p.Getter.GetClrValueUsingContainingEntity(actual)}")];

    private static IEnumerable<(CustomerEventKind, DateTimeOffset, Guid?, Guid?, string?)> Events(Customer customer) =>
        customer.History.OrderBy(e => e.Kind).Select(e => (e.Kind, e.At, e.ActorId, e.SalespersonId, e.Reason));

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task BulkWrite_ReadsBackAsEfWritesIt_EveryColumnHistoryAndGrams(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var admin = await app.CreatePersonAsync("clerk", null);
        var now = app.Clock.GetUtcNow();

        foreach (var signed in new[] { false, true })
        {
            var mark = signed ? "签" : "护";
            var (written, twin) = await app.InScopeAsync(async services =>
            {
                var db = services.GetRequiredService<HarborDbContext>();
                var calendar = services.GetRequiredService<CompanyCalendar>();
                var policy = services.GetRequiredService<PolicySettings>();
                var viaEf = Sample($"澄湖{mark}甲科技有限公司", $"0215{Random.Shared.Next(1_000_000, 9_999_999)}", owner.Id, admin.Id, now, calendar, policy, signed);
                var viaBulk = Sample($"澄湖{mark}乙贸易有限公司", $"0215{Random.Shared.Next(1_000_000, 9_999_999)}", owner.Id, admin.Id, now, calendar, policy, signed);
                db.Customers.Add(viaEf);
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();

                await using var transaction = await db.Database.BeginTransactionAsync();
                await using (var writer = new BulkCustomers(db))
                {
                    await writer.AddAsync(viaBulk, CancellationToken.None);
                    await writer.FlushAsync(CancellationToken.None);
                }

                await transaction.CommitAsync();
                return (viaBulk, viaEf.Id);
            });

            await app.InScopeAsync(async services =>
            {
                var db = services.GetRequiredService<HarborDbContext>();
                // Found by id, owner, status, day, instant and key in SQL: the stored forms are EF's own.
                var bulk = await db.Customers.AsNoTracking().Include(c => c.History).SingleAsync(c => c.Id == written.Id && c.OwnerId == owner.Id
                    && c.Status == written.Status && c.StartsOn == written.StartsOn && c.LastFollowUpAt == written.LastFollowUpAt
                    && c.NameKey == written.NameKey && c.PhoneKey == written.PhoneKey);
                var ef = await db.Customers.AsNoTracking().Include(c => c.History).SingleAsync(c => c.Id == twin);

                // Read back exactly as written, and stored as EF stores its twin.
                Assert.Empty(Differences(db, written, bulk));
                Assert.Empty(Differences(db, ef, bulk, nameof(Customer.Id), nameof(Customer.Name), nameof(Customer.NameKey),
                    nameof(Customer.Phone), nameof(Customer.PhoneKey), nameof(Customer.CreditCode), nameof(Customer.CreditCodeKey)));
                Assert.NotNull(bulk.LastFollowUpAt);
                Assert.Equal(signed ? 2 : 1, bulk.History.Count);
                Assert.Equal(Events(written), Events(bulk));
                Assert.Equal(Events(ef), Events(bulk));
                Assert.All(bulk.History, e => Assert.Equal(bulk.Id, e.CustomerId));

                // The similar-name index holds what HarborDbContext writes for a new customer.
                var grams = await db.CustomerNameGrams.Where(g => g.CustomerId == bulk.Id).Select(g => g.Gram).ToListAsync();
                Assert.NotEmpty(grams);
                Assert.Equal(BulkCustomers.GramsOf(bulk).Select(g => g.Gram).Order(StringComparer.Ordinal), grams.Order(StringComparer.Ordinal));
                return true;
            });

            // The similar-name check finds it by its brand.
            var check = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = $"澄湖{mark}乙网络科技有限公司" }))
                .AssertStatusAsync(HttpStatusCode.OK);
            Assert.Contains(check.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == written.Id);
        }
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Import_FailsAfterTheFirstBatchIsWritten_NothingIsLeft(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, new Dictionary<string, string?> { ["Harbor:Policy:SlotLimit"] = "1000" });
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "整批");
        using var admin = await app.AdminAsync();
        var rows = BulkCustomers.BatchSize + 500;
        var bad = BulkCustomers.BatchSize + 300;
        var sheet = new List<Cell?[]> { new Cell?[] { "客户", "电话", "阶段" } };
        for (var i = 0; i < rows; i++)
            sheet.Add([i == bad ? "坏行公司" : $"整批{i:D5}号公司", $"1370{i:D7}", Signed(i) ? (Cell)"签约收款" : null]);
        var file = Xlsx.Build(new SheetSpec("整批", [.. sheet]));
        // Two in three signed (no slot), the rest protected: under the slot limit, both kinds of history.
        static bool Signed(int row) => row % 3 != 1;

        // The database refuses one row late in the file, after the first batch went in.
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            if (engine == Engine.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync(
                    "CREATE TRIGGER refuse_bad BEFORE INSERT ON \"Customers\" WHEN NEW.\"Name\" = '坏行公司' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync(
                    "CREATE FUNCTION refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.\"Name\" = '坏行公司' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;");
                await db.Database.ExecuteSqlRawAsync(
                    "CREATE TRIGGER refuse_bad BEFORE INSERT ON \"Customers\" FOR EACH ROW EXECUTE FUNCTION refuse_bad();");
            }

            return true;
        });
        var before = await CountsAsync(app);

        var response = await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(before, await CountsAsync(app));

        // Without the refusal the same file goes in whole.
        await app.InScopeAsync(async services =>
        {
            await services.GetRequiredService<HarborDbContext>().Database.ExecuteSqlRawAsync(
                engine == Engine.Sqlite ? "DROP TRIGGER refuse_bad" : "DROP TRIGGER refuse_bad ON \"Customers\"");
            return true;
        });
        var done = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(rows, done.GetProperty("imported").GetInt32());
        var after = await CountsAsync(app);
        Assert.Equal(before.Customers + rows, after.Customers);
        Assert.Equal(before.Events + rows + Enumerable.Range(0, rows).Count(Signed), after.Events);
        Assert.True(after.Grams > before.Grams + rows);
        Assert.Equal(before.Imports + 1, after.Imports);

        // Every customer of both batches has exactly its own grams (the gram rows are refilled batch after batch).
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var imported = await db.Customers.AsNoTracking().Where(c => c.OwnerId == owner.Id).ToListAsync();
            var stored = (await db.CustomerNameGrams.AsNoTracking().ToListAsync()).ToLookup(g => g.CustomerId, g => g.Gram);
            Assert.Equal(rows, imported.Count);
            Assert.All(imported, c => Assert.Equal(
                BulkCustomers.GramsOf(c).Select(g => g.Gram).Order(StringComparer.Ordinal), stored[c.Id].Order(StringComparer.Ordinal)));
            return true;
        });
    }

    private static Task<(int Customers, int Events, int Grams, int Imports)> CountsAsync(HarborApp app) => app.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        return (await db.Customers.CountAsync(), await db.CustomerEvents.CountAsync(), await db.CustomerNameGrams.CountAsync(),
            await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Import));
    });
}
