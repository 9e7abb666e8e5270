using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Harbor.Web.Features.Registry;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Registry;

/// <summary>
/// The page requests of issue 11 (scenario 5) run compiled or pre-built queries: they answer as the
/// plain LINQ they replaced, on both engines, in one process, and for whoever asks.
/// </summary>
public sealed class PageQueryTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task MySheet_CompiledQueries_AnswerAsThePlainQuery_ForEachSalespersonInTurn(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(2, group);
        var (first, second) = (people[0], people[1]);
        var prefix = app.UniqueName("页");
        // Names alike: after the first, the duplicate check sends them to the clerk (pending reviews).
        await (await first.Client.RegisterAsync(prefix + "甲科技有限公司")).AssertStatusAsync(HttpStatusCode.Created);
        await first.Client.RegisterAsync(prefix + "乙科技有限公司");
        await first.Client.RegisterAsync(prefix + "丙科技有限公司");
        var released = await (await second.Client.RegisterAsync(app.UniqueName("释放") + "物流有限公司")).AssertStatusAsync(HttpStatusCode.Created);
        await second.Client.RegisterAsync(app.UniqueName("保留") + "传媒有限公司");
        await (await second.Client.PostAsJsonAsync($"/api/customers/{released.GetProperty("customerId").GetGuid()}/release", new { }))
            .AssertStatusAsync(HttpStatusCode.OK);

        // In turn, as pooled contexts are handed from one request to the next.
        foreach (var person in new[] { first, second, first, second })
        {
            var sheet = await (await person.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
            var expected = await PlainSheetAsync(app, person.Id);
            Assert.Equal(expected.Ids, sheet.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetGuid()));
            Assert.Equal(expected.Used, sheet.GetProperty("slotsUsed").GetInt32());
            Assert.Equal(person.Id, sheet.GetProperty("salespersonId").GetGuid());
        }

        var mine = await (await first.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(mine.GetProperty("customers").EnumerateArray(), c => c.GetProperty("status").GetString() == "protected");
        Assert.Equal(3, mine.GetProperty("customers").GetArrayLength());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RegistryDueSort_InlinedConstant_WritesTheSameSqlAsEfConstant(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var inlined = InlineConstants.In<Func<Customer, DateOnly>>(c => c.DueOn ?? EF.Constant(DateOnly.MaxValue));

        var (plain, cached) = await app.InScopeAsync(services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var plainSql = db.Customers.OrderBy(c => c.DueOn ?? EF.Constant(DateOnly.MaxValue)).ThenBy(c => c.Id).Take(50).ToQueryString();
            var inlinedSql = db.Customers.OrderBy(inlined).ThenBy(c => c.Id).Take(50).ToQueryString();
            return Task.FromResult((plainSql, inlinedSql));
        });

        // The literal IX_Customers_DueKey indexes ('9999-12-31' on SQLite, DATE 'infinity' on PostgreSQL).
        Assert.Equal(plain, cached);
        Assert.Contains("COALESCE", cached, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CompiledQueries_TwoModelsOfOneContextType_EachAnswers(Engine engine)
    {
        // A context built with other options gets a model of its own (the component tests' contexts, the
        // bench's instrumented hosts): a compiled query kept per context type refused the second one.
        var app = await apps.GetAsync(engine);
        var owner = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        await owner.Client.RegisterOkAsync(app.UniqueName("模型") + "有限公司");

        var (fromApp, fromOther, models) = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var connection = db.Database.GetConnectionString()!;
            await using HarborDbContext other = engine == Engine.Sqlite
                ? new SqliteHarborDbContext(new DbContextOptionsBuilder<SqliteHarborDbContext>().UseSqlite(connection).EnableSensitiveDataLogging().Options)
                : new PostgresHarborDbContext(new DbContextOptionsBuilder<PostgresHarborDbContext>().UseNpgsql(connection).EnableSensitiveDataLogging().Options);
            var first = await RegistryDefaultView.ReadAsync(db, new RegistryOwners(), null, 0, 5, CancellationToken.None);
            var second = await RegistryDefaultView.ReadAsync(other, new RegistryOwners(), null, 0, 5, CancellationToken.None);
            var again = await RegistryDefaultView.ReadAsync(db, new RegistryOwners(), null, 0, 5, CancellationToken.None);
            Assert.Equal(first.Select(r => r.Id), again.Select(r => r.Id));
            return (first, second, (db.Model, other.Model));
        });

        Assert.NotSame(models.Item1, models.Item2);
        Assert.NotEmpty(fromApp);
        Assert.Equal(fromApp.Select(r => r.Id), fromOther.Select(r => r.Id));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RegistryDefaultView_CompiledPagesAndCursor_AnswerAsThePlainQuery(Engine engine)
    {
        // An app of its own: the walk compares the whole registry, which other tests would grow meanwhile.
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(2, group);
        var clerk = (await app.SeedPeopleAsync(Domain.Access.Role.Clerk, 1, null))[0];
        var words = new[] { "星辰", "海岸", "松柏", "云杉", "河谷", "山岚", "麦田" };
        var ids = new List<Guid>();
        for (var i = 0; i < words.Length; i++)
            ids.Add(await people[i % 2].Client.RegisterApprovedAsync(clerk.Client, app.UniqueName(words[i]) + "有限公司"));
        app.Clock.Advance(TimeSpan.FromDays(2));
        await people[0].Client.RegisterApprovedAsync(clerk.Client, app.UniqueName("湖畔") + "有限公司");
        // Released: no owner and no due date, so it sorts last, through the COALESCE bound.
        await (await people[1].Client.PostAsJsonAsync($"/api/customers/{ids[1]}/release", new { })).AssertStatusAsync(HttpStatusCode.OK);

        var expected = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            return await (from c in db.Customers.AsNoTracking()
                          join u in db.Users.AsNoTracking() on c.OwnerId equals u.Id into owners
                          from o in owners.DefaultIfEmpty()
                          orderby c.DueOn ?? EF.Constant(DateOnly.MaxValue), c.Id
                          select new { c.Id, OwnerId = (Guid?)o!.Id, c.Name, c.Status, c.DueOn, Owner = o.DisplayName, Group = o.Group!.Name })
                .ToListAsync();
        });
        Assert.Equal(8, expected.Count);
        Assert.Equal(ids[1], expected[^1].Id);

        var byPage = new List<(Guid Id, Guid? OwnerId)>();
        for (var page = 1; page <= 3; page++)
            byPage.AddRange(Rows(await (await clerk.Client.GetAsync($"/api/registry?page={page}&pageSize=3")).AssertStatusAsync(HttpStatusCode.OK)));
        var byCursor = new List<(Guid Id, Guid? OwnerId)>();
        string? cursor = null;
        do
        {
            var body = await (await clerk.Client.GetAsync("/api/registry?pageSize=3&sort=dueOn" + (cursor is null ? "" : "&cursor=" + cursor)))
                .AssertStatusAsync(HttpStatusCode.OK);
            byCursor.AddRange(Rows(body));
            cursor = body.TryGetProperty("next", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(expected.Select(e => (e.Id, e.OwnerId)), byPage);
        Assert.Equal(byPage, byCursor);

        // One row a page, twice over: each statement runs more than five times, so that Npgsql prepares it
        // and PostgreSQL reaches its generic plan (the offset then comes from a setting, not a parameter).
        for (var round = 0; round < 2; round++)
        {
            var single = new List<(Guid Id, Guid? OwnerId)>();
            for (var page = 1; page <= expected.Count; page++)
                single.AddRange(Rows(await (await clerk.Client.GetAsync($"/api/registry?page={page}&pageSize=1")).AssertStatusAsync(HttpStatusCode.OK)));
            var stepped = new List<(Guid Id, Guid? OwnerId)>();
            cursor = null;
            do
            {
                var body = await (await clerk.Client.GetAsync("/api/registry?pageSize=1&sort=dueOn" + (cursor is null ? "" : "&cursor=" + cursor)))
                    .AssertStatusAsync(HttpStatusCode.OK);
                stepped.AddRange(Rows(body));
                cursor = body.TryGetProperty("next", out var next) ? next.GetString() : null;
            }
            while (cursor is not null);
            Assert.Equal(byPage, single);
            Assert.Equal(byPage, stepped);
        }

        // Every field of the rows, not only the ids: PostgreSQL reads them with SQL of its own and
        // takes the owners' names from a map (RegistryOwners).
        var pages = new List<JsonElement>();
        for (var page = 1; page <= 3; page++)
            pages.AddRange((await (await clerk.Client.GetAsync($"/api/registry?page={page}&pageSize=3")).AssertStatusAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray());
        Assert.Equal(
            expected.Select(e => (e.Name, SearchRegistry.StatusValue(e.Status), e.DueOn, (string?)e.Owner, (string?)e.Group)),
            pages.Select(i => (i.GetProperty("name").GetString()!, i.GetProperty("status").GetString()!,
                i.TryGetProperty("dueOn", out var due) && due.ValueKind == JsonValueKind.String ? DateOnly.Parse(due.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null,
                i.TryGetProperty("owner", out var owner) ? owner.GetProperty("displayName").GetString() : null,
                i.TryGetProperty("owner", out var grouped) && grouped.TryGetProperty("group", out var name) ? name.GetString() : null)));
        var walked = new List<string>();
        cursor = null;
        do
        {
            var body = await (await clerk.Client.GetAsync("/api/registry?pageSize=3&sort=dueOn" + (cursor is null ? "" : "&cursor=" + cursor)))
                .AssertStatusAsync(HttpStatusCode.OK);
            walked.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()));
            cursor = body.TryGetProperty("next", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        Assert.Equal(pages.Select(i => i.GetRawText()), walked);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RegistryDefaultView_OwnerRenamedAndGroupRenamed_ShowsTheNewNamesAtOnce(Engine engine)
    {
        // An app of its own: the customer must be on the registry's first page.
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = (await app.SalespeopleAsync(1, group))[0];
        var clerk = (await app.SeedPeopleAsync(Domain.Access.Role.Clerk, 1, null))[0];
        var customer = await owner.Client.RegisterApprovedAsync(clerk.Client, app.UniqueName("更名") + "有限公司");

        async Task<JsonElement> OwnerOnRegistryAsync(string query)
        {
            var page = await (await clerk.Client.GetAsync("/api/registry?pageSize=100" + query)).AssertStatusAsync(HttpStatusCode.OK);
            return page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("customerId").GetGuid() == customer).GetProperty("owner");
        }

        Assert.Equal(owner.DisplayName, (await OwnerOnRegistryAsync("")).GetProperty("displayName").GetString());
        using var admin = await app.AdminAsync();
        await (await admin.PutAsJsonAsync($"/api/users/{owner.Id}", new { displayName = "改名后的销售", role = "salesperson", groupId = group }))
            .AssertStatusAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync($"/api/groups/{group}", new { name = app.UniqueName("新组名") })).AssertStatusAsync(HttpStatusCode.OK);
        var groupName = (await (await admin.GetAsync("/api/groups")).AssertStatusAsync(HttpStatusCode.OK)).EnumerateArray()
            .Single(g => g.GetProperty("id").GetGuid() == group).GetProperty("name").GetString();

        foreach (var query in new[] { "", "&page=1", "&sort=dueOn" })
        {
            var shown = await OwnerOnRegistryAsync(query);
            Assert.Equal("改名后的销售", shown.GetProperty("displayName").GetString());
            Assert.Equal(groupName, shown.GetProperty("group").GetString());
        }
    }

    private static List<(Guid Id, Guid? OwnerId)> Rows(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("customerId").GetGuid(),
            i.TryGetProperty("owner", out var owner) ? owner.GetProperty("id").GetGuid() : (Guid?)null)).ToList();

    [Fact]
    public void InlineConstants_RequestValue_Refused()
    {
        var now = DateOnly.FromDayNumber(739_000);
        Assert.Throws<NotSupportedException>(() => InlineConstants.In<Func<Customer, DateOnly>>(c => c.DueOn ?? EF.Constant(now)));
    }

    private static Task<(List<Guid> Ids, int Used)> PlainSheetAsync(HarborApp app, Guid salespersonId) => app.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        var rows = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId == salespersonId)
            .OrderBy(c => c.Status == CustomerStatus.Signed).ThenBy(c => c.DueOn).ThenBy(c => c.Name)
            .Select(c => new { c.Id, c.Status })
            .ToListAsync();
        var reviews = await db.Reviews.AsNoTracking()
            .Where(r => r.SalespersonId == salespersonId && r.Status == ReviewStatus.Pending)
            .OrderBy(r => r.RequestedAt).Select(r => r.Id).ToListAsync();
        return (reviews.Concat(rows.Select(r => r.Id)).ToList(), rows.Count(r => r.Status.UsesSlot()) + reviews.Count);
    });
}
