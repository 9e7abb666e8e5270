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
