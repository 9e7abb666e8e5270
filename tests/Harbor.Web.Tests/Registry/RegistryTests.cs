using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Registry;

/// <summary>GET /api/registry: the clerk's master list (总库), filtered, sorted and paged by the database.</summary>
public sealed class RegistryTests(SharedApps apps)
{
    private sealed record World(HarborApp App, string Prefix, Guid East, Guid South, Person Zhang, Person Li, Person Wang,
        Person Clerk, Person Director, Person EastManager, Guid Released);

    // 张三 (east) holds 甲 and 乙 and gave 丙 up; 王五 (east) holds 丁; 李四 (south) holds 戊.
    private static async Task<World> WorldAsync(HarborApp app)
    {
        var prefix = app.UniqueName("总库");
        var east = await app.CreateGroupAsync();
        var south = await app.CreateGroupAsync();
        var zhang = await app.CreatePersonAsync("salesperson", east, "张三");
        var wang = await app.CreatePersonAsync("salesperson", east, "王五");
        var li = await app.CreatePersonAsync("salesperson", south, "李四");
        var clerk = await app.CreatePersonAsync("clerk", null);
        // The names share a prefix so that a search finds this world's customers only; to the
        // duplicate check they look alike, so the clerk approves each as a new customer.
        await zhang.Client.RegisterApprovedAsync(clerk.Client, prefix + "甲科技有限公司");
        await zhang.Client.RegisterApprovedAsync(clerk.Client, prefix + "乙贸易有限公司");
        var released = await zhang.Client.RegisterApprovedAsync(clerk.Client, prefix + "丙物流有限公司");
        await (await zhang.Client.PostAsJsonAsync($"/api/customers/{released}/release", new { })).AssertStatusAsync(HttpStatusCode.OK);
        await wang.Client.RegisterApprovedAsync(clerk.Client, prefix + "丁电子有限公司");
        await li.Client.RegisterApprovedAsync(clerk.Client, prefix + "戊文化传媒有限公司", "1350" + Random.Shared.Next(1_000_000, 9_999_999));
        return new World(app, prefix, east, south, zhang, li, wang,
            clerk, await app.CreatePersonAsync("director", null),
            await app.CreatePersonAsync("manager", east), released);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/registry?" + query)).AssertStatusAsync(HttpStatusCode.OK);

    private static string[] Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    private static string Q(string text) => Uri.EscapeDataString(text);

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_ClerkSearches_EveryCustomerWithOwnerGroupAndDueDate(Engine engine)
    {
        var w = await WorldAsync(await apps.GetAsync(engine));

        var page = await GetAsync(w.Clerk.Client, $"search={Q(w.Prefix)}&sort=name");

        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        var li = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("name").GetString()!.Contains('戊'));
        Assert.Equal("protected", li.GetProperty("status").GetString());
        Assert.Equal("李四", li.GetProperty("owner").GetProperty("displayName").GetString());
        Assert.Equal(w.South, li.GetProperty("owner").GetProperty("groupId").GetGuid());
        Assert.Equal("2026-12-16", li.GetProperty("dueOn").GetString());
        Assert.Equal(15, li.GetProperty("daysLeft").GetInt32());
        Assert.False(li.TryGetProperty("phone", out _), "The list shows no contacts.");
        var released = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("customerId").GetGuid() == w.Released);
        Assert.Equal("pending-publication", released.GetProperty("status").GetString());
        Assert.False(released.TryGetProperty("owner", out _));
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:00:00+08:00"), released.GetProperty("publishAt").GetDateTimeOffset());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_Filters_BySalespersonGroupStatusAndDueDate(Engine engine)
    {
        var w = await WorldAsync(await apps.GetAsync(engine));
        var c = w.Clerk.Client;

        Assert.Equal(2, (await GetAsync(c, $"salespersonId={w.Zhang.Id}")).GetProperty("total").GetInt32());
        Assert.Equal(3, (await GetAsync(c, $"groupId={w.East}")).GetProperty("total").GetInt32());
        Assert.Equal([w.Prefix + "戊文化传媒有限公司"], Names(await GetAsync(c, $"groupId={w.South}")));
        Assert.Equal([w.Prefix + "丙物流有限公司"], Names(await GetAsync(c, $"search={Q(w.Prefix)}&status=pending-publication")));
        Assert.Equal(3, (await GetAsync(c, $"groupId={w.East}&status=protected&dueFrom=2026-12-16&dueTo=2026-12-16")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetAsync(c, $"groupId={w.East}&dueFrom=2026-12-17")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetAsync(c, $"groupId={w.East}&dueTo=2026-12-15")).GetProperty("total").GetInt32());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_SortAndPages_OnTheServer(Engine engine)
    {
        var w = await WorldAsync(await apps.GetAsync(engine));
        var c = w.Clerk.Client;
        var all = Names(await GetAsync(c, $"search={Q(w.Prefix)}&sort=name"));
        Assert.Equal(all.Order(StringComparer.Ordinal).ToArray(), all);

        var second = await GetAsync(c, $"search={Q(w.Prefix)}&sort=name&pageSize=2&page=2");
        Assert.Equal(5, second.GetProperty("total").GetInt32());
        Assert.Equal(all[2..4], Names(second));
        Assert.Equal(all.Reverse().ToArray(), Names(await GetAsync(c, $"search={Q(w.Prefix)}&sort=-name")));

        // Due date first by default: the released customer has none and comes last.
        var byDue = await GetAsync(c, $"search={Q(w.Prefix)}");
        Assert.Equal("dueOn", byDue.GetProperty("sort").GetString());
        Assert.Equal(w.Released, byDue.GetProperty("items")[4].GetProperty("customerId").GetGuid());
        var byOwner = Names(await GetAsync(c, $"search={Q(w.Prefix)}&sort=owner"));
        Assert.Equal(w.Prefix + "丙物流有限公司", byOwner[^1]);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_SearchByNameVariantPhoneOrCreditCode_Finds(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var sales = await app.CreatePersonAsync("salesperson", group);
        var clerk = await app.CreatePersonAsync("clerk", null);
        var core = app.UniqueName("Star");
        var phone = "1361" + Random.Shared.Next(1_000_000, 9_999_999);
        var code = CreditCodes.Next();
        await (await sales.Client.RegisterAsync($"北京{core}科技有限公司", phone, code)).AssertStatusAsync(HttpStatusCode.Created);

        foreach (var search in new[] { core.ToUpperInvariant(), phone, $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}", code.ToLowerInvariant() })
        {
            var page = await GetAsync(clerk.Client, $"search={Q(search)}");
            Assert.True(page.GetProperty("total").GetInt32() == 1, $"search '{search}'");
        }
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_Director_SeesAll_ManagerSeesOwnGroupOnly(Engine engine)
    {
        var w = await WorldAsync(await apps.GetAsync(engine));

        Assert.Equal(5, (await GetAsync(w.Director.Client, $"search={Q(w.Prefix)}")).GetProperty("total").GetInt32());
        var mine = await GetAsync(w.EastManager.Client, $"search={Q(w.Prefix)}");
        Assert.Equal(3, mine.GetProperty("total").GetInt32());
        Assert.All(mine.GetProperty("items").EnumerateArray(), i => Assert.Equal(w.East, i.GetProperty("owner").GetProperty("groupId").GetGuid()));
        Assert.Equal(3, (await GetAsync(w.EastManager.Client, $"groupId={w.East}")).GetProperty("total").GetInt32());
        await (await w.EastManager.Client.GetAsync($"/api/registry?groupId={w.South}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_SalespersonAdminAnonymous_Refused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var admin = await app.AdminAsync();

        await (await sales.Client.GetAsync("/api/registry")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.GetAsync("/api/registry")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.CreateClient().GetAsync("/api/registry")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_CursorWalk_EveryRowOnceInTheSortsOrder(Engine engine)
    {
        var w = await WorldAsync(await apps.GetAsync(engine));
        var c = w.Clerk.Client;

        foreach (var sort in new[] { "dueOn", "-dueOn", "name", "-name", "createdAt", "-createdAt" })
        {
            var all = await GetAsync(c, $"search={Q(w.Prefix)}&sort={sort}");
            var walked = new List<string>();
            var page = await GetAsync(c, $"search={Q(w.Prefix)}&sort={sort}&pageSize=2");
            for (var number = 1; ; number++)
            {
                Assert.Equal(number, page.GetProperty("page").GetInt32());
                Assert.Equal(5, page.GetProperty("total").GetInt32());
                walked.AddRange(Names(page));
                // The last page has no next (null values are left out of the JSON).
                if (!page.TryGetProperty("next", out var next))
                    break;
                page = await GetAsync(c, $"search={Q(w.Prefix)}&sort={sort}&pageSize=2&cursor={next.GetString()}");
            }

            // Four of the five share a due date and several an instant: the id breaks the ties.
            Assert.Equal(Names(all), walked);
        }
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_CursorAfterChanges_ContinuesWhereThePageEnded(Engine engine)
    {
        var w = await WorldAsync(await apps.GetAsync(engine));
        var c = w.Clerk.Client;
        var first = await GetAsync(c, $"search={Q(w.Prefix)}&sort=name&pageSize=2");
        var next = first.GetProperty("next").GetString()!;

        // A customer registered after the first page sorts before its end: keyset paging neither
        // repeats a row nor shifts the rest, as an offset would.
        await w.Zhang.Client.RegisterApprovedAsync(w.Clerk.Client, w.Prefix + "丁丁科技有限公司");
        var second = await GetAsync(c, $"search={Q(w.Prefix)}&sort=name&pageSize=2&cursor={next}");

        var names = Names(await GetAsync(c, $"search={Q(w.Prefix)}&sort=name"));
        var after = names.SkipWhile(n => n != Names(first)[1]).Skip(1).Take(2).ToArray();
        Assert.Equal(after, Names(second));
        Assert.DoesNotContain(Names(first)[0], Names(second));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_DueKeyIndex_Exists(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        // EF's model does not know this index (an expression): a table rebuild by a later SQLite
        // migration would drop it silently, and the page's speed rests on it.
        var sql = engine == Engine.Sqlite
            ? "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name = 'IX_Customers_DueKey'"
            : "SELECT count(*)::int AS \"Value\" FROM pg_indexes WHERE indexname = 'IX_Customers_DueKey'";
        var count = await app.InScopeAsync(async services =>
            await services.GetRequiredService<HarborDbContext>().Database.SqlQueryRaw<int>(sql).SingleAsync());
        Assert.Equal(1, count);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_DueOrder_ReadsTheDueKeyIndex(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        // The index is an expression, and the planner uses it only if EF writes the very same
        // expression: Npgsql writes DateOnly.MaxValue as DATE 'infinity', and an index on
        // '9999-12-31' made every page sort the whole registry. Forbidding the sort shows whether
        // the index can serve the order at all, whatever the table's size.
        var plan = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var sql = db.Customers.OrderBy(c => c.DueOn ?? EF.Constant(DateOnly.MaxValue)).ThenBy(c => c.Id).Select(c => c.Id).ToQueryString();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                if (engine == Engine.Postgres)
                {
                    await using var off = connection.CreateCommand();
                    off.CommandText = "SET enable_sort = off; SET enable_seqscan = off";
                    await off.ExecuteNonQueryAsync();
                }

                await using var explain = connection.CreateCommand();
                explain.CommandText = (engine == Engine.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql;
                await using var reader = await explain.ExecuteReaderAsync();
                var lines = new List<string>();
                while (await reader.ReadAsync())
                    lines.Add(reader.GetString(engine == Engine.Sqlite ? 3 : 0));
                return string.Join("\n", lines);
            }
            finally
            {
                if (engine == Engine.Postgres)
                {
                    await using var on = connection.CreateCommand();
                    on.CommandText = "RESET enable_sort; RESET enable_seqscan";
                    await on.ExecuteNonQueryAsync();
                }

                await db.Database.CloseConnectionAsync();
            }
        });

        Assert.Contains("IX_Customers_DueKey", plan);
        Assert.DoesNotContain(engine == Engine.Sqlite ? "TEMP B-TREE" : "Sort", plan);
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("sort=phone", "sort")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("sort=owner&cursor=eyJzb3J0Ijoib3duZXIiLCJrZXkiOiJ4IiwiaWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJ0b3RhbCI6MSwicGFnZSI6MX0", "cursor")]
    [InlineData("dueFrom=2026-12-20&dueTo=2026-12-10", "dueTo")]
    public async Task Registry_BadQuery_400NamesTheField(string query, string field)
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);

        var problem = await (await clerk.Client.GetAsync("/api/registry?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
