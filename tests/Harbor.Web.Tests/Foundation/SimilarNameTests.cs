using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Issue 6 in the check: core names and likely duplicates, from the gram index.</summary>
public sealed class SimilarNameTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_CoreName_FindsTheFullRegisteredName(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync("江苏苏宁电器股份有限公司");

        var body = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "苏宁电器" })).AssertStatusAsync(HttpStatusCode.OK);

        var match = Assert.Single(body.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == id);
        Assert.Equal("name", match.GetProperty("match").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_BrandWithAddedTradeWord_LikelyDuplicateWithScore(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync("杭州云帆科技有限公司");

        var body = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "云帆网络科技有限公司" })).AssertStatusAsync(HttpStatusCode.OK);
        var different = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "海岳网络科技有限公司" })).AssertStatusAsync(HttpStatusCode.OK);

        var match = Assert.Single(body.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == id);
        Assert.Equal("similar-name", match.GetProperty("match").GetString());
        Assert.True(match.GetProperty("score").GetDouble() >= 0.7);
        Assert.DoesNotContain(different.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == id);
    }

    [Fact]
    public async Task Start_CustomersWithoutGrams_IndexedAtStart()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync("深圳市星辰科技有限公司");
        var indexed = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            Assert.True(await db.CustomerNameGrams.AnyAsync(g => g.CustomerId == id));
            Assert.Equal(0, await DatabaseSetup.IndexNamesAsync(db, CancellationToken.None));
            // As if it had been written before the index existed.
            await db.CustomerNameGrams.Where(g => g.CustomerId == id).ExecuteDeleteAsync();
            var count = await DatabaseSetup.IndexNamesAsync(db, CancellationToken.None);
            Assert.True(await db.CustomerNameGrams.AnyAsync(g => g.CustomerId == id));
            return count;
        });

        Assert.Equal(1, indexed);
    }
}
