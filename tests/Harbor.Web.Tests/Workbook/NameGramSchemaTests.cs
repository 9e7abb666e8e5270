using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// ADR-013: the name grams have no foreign key to Customers, and on SQLite are a WITHOUT ROWID table built
/// by raw SQL in a migration; what the grams serve (the similar-name search, merged names) is unchanged.
/// </summary>
public sealed class NameGramSchemaTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Schema_Grams_NoForeignKeyAndOnSqliteWithoutRowid(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var (foreignKeys, indexes, withoutRowid) = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                async Task<string?> ScalarAsync(string sql)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                }

                return engine == Engine.Sqlite
                    ? (await ScalarAsync("""SELECT count(*) FROM pragma_foreign_key_list('CustomerNameGrams')"""),
                        await ScalarAsync("""SELECT group_concat(name, ',') FROM pragma_index_list('CustomerNameGrams') WHERE origin = 'c'"""),
                        await ScalarAsync("""SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'CustomerNameGrams'"""))
                    : (await ScalarAsync("""SELECT count(*) FROM information_schema.table_constraints WHERE table_name = 'CustomerNameGrams' AND constraint_type = 'FOREIGN KEY'"""),
                        await ScalarAsync("""SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'CustomerNameGrams' AND indexname <> 'PK_CustomerNameGrams'"""),
                        null);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

        Assert.Equal("0", foreignKeys);
        Assert.Equal("IX_CustomerNameGrams_CustomerId", indexes);
        if (engine == Engine.Sqlite)
            Assert.EndsWith("WITHOUT ROWID", withoutRowid!.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Grams_ImportedThenMergedCustomer_KeepItsGramsAndTheSimilarNameCheckFindsTheKeptOne(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "词元");
        var clerk = (await app.SeedPeopleAsync(Role.Clerk, 1, null))[0];
        var kept = await owner.Client.RegisterOkAsync("宁波海岳贸易有限公司");
        using var admin = await app.AdminAsync();
        var file = Xlsx.Build(new SheetSpec("词元", [["客户"], ["杭州云帆科技有限公司"]]));
        var imported = await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(file))).AssertStatusAsync(HttpStatusCode.OK);
        var away = Assert.Single(imported.GetProperty("rows").EnumerateArray()).GetProperty("customerId").GetGuid();

        await (await clerk.Client.PostAsJsonAsync($"/api/customers/{away}/merge", new { intoCustomerId = kept, reason = "same company" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        // Each customer's grams are those of its name, written once (the bulk path and EF's), and the merge moved none.
        var grams = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            return (await db.CustomerNameGrams.AsNoTracking().Where(g => g.CustomerId == kept || g.CustomerId == away).ToListAsync())
                .GroupBy(g => g.CustomerId).ToDictionary(g => g.Key, g => g.Select(x => x.Gram).Order(StringComparer.Ordinal).ToList());
        });
        Assert.Equal(NameGrams.Of(CompanyName.Normalize("杭州云帆科技有限公司")).Order(StringComparer.Ordinal), grams[away]);
        Assert.Equal(NameGrams.Of(CompanyName.Normalize("宁波海岳贸易有限公司")).Order(StringComparer.Ordinal), grams[kept]);

        // The merged-away name still finds the company, as the customer it was merged into.
        var body = await (await owner.Client.PostAsJsonAsync("/api/customers/check", new { name = "云帆网络科技有限公司" })).AssertStatusAsync(HttpStatusCode.OK);
        var match = Assert.Single(body.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == kept);
        Assert.Equal("similar-name", match.GetProperty("match").GetString());
        Assert.DoesNotContain(body.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == away);
    }
}
