using System.Diagnostics;
using System.Net;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Registry;

/// <summary>
/// The master list answers the clerk's usual questions correctly over 100,000 customers: every
/// page is filtered, counted, sorted and cut by the database. How fast is the benchmark's job
/// (bench/, scenario "page"); times are printed here for information only, never asserted.
/// </summary>
public sealed class RegistryScaleTests(ITestOutputHelper output)
{
    public const int Customers = 100_000;
    private const int Salespeople = 20;

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Registry_100000Customers_EveryUsualQueryAnswers(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync("规模组");
        var people = new List<Person>();
        for (var i = 0; i < Salespeople; i++)
            people.Add(await app.CreatePersonAsync("salesperson", i < Salespeople / 2 ? group : await app.CreateGroupAsync()));
        var clerk = await app.CreatePersonAsync("clerk", null);
        await SeedAsync(app, engine);

        string[] queries =
        [
            "",
            "search=" + Uri.EscapeDataString("规模测试4242号"),
            $"groupId={group}",
            $"salespersonId={people[3].Id}&sort=-name",
            "status=in-pool&sort=name&page=100",
            "dueFrom=2026-12-05&dueTo=2026-12-06&sort=owner",
            "sort=-createdAt&page=3000&pageSize=25",
        ];
        await clerk.Client.GetAsync("/api/registry");
        foreach (var query in queries)
        {
            var clock = Stopwatch.StartNew();
            var body = await (await clerk.Client.GetAsync("/api/registry?" + query)).AssertStatusAsync(HttpStatusCode.OK);
            clock.Stop();
            var line = $"{engine} {query,-60} total {body.GetProperty("total").GetInt32(),7}  {clock.ElapsedMilliseconds,5} ms";
            output.WriteLine(line);
            Assert.True(body.GetProperty("total").GetInt32() > 0, query);
        }
    }

    /// <summary>100,000 customers in one statement: nine in ten held by the 20 salespeople, one in ten in the pool.</summary>
    private static async Task SeedAsync(HarborApp app, Engine engine)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(2));
        var sql = engine == Engine.Sqlite
            ? $"""
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Customers}),
                    s(k, "Id") AS (SELECT row_number() OVER (ORDER BY "Id") - 1, "Id" FROM "Users" WHERE "Role" = 'Salesperson')
               INSERT INTO "Customers" ("Id", "Name", "NameKey", "Status", "OwnerId", "StartsOn", "DueOn", "CreatedAt", "Version")
               SELECT printf('%08X-0000-4000-8000-%012X', i, i), '规模测试' || i || '号科技有限公司', 'scale' || i,
                      CASE WHEN i % 10 = 0 THEN 'InPool' ELSE 'Protected' END,
                      CASE WHEN i % 10 = 0 THEN NULL ELSE s."Id" END,
                      CASE WHEN i % 10 = 0 THEN NULL ELSE date('2026-11-16', '+' || (i % 15) || ' days') END,
                      CASE WHEN i % 10 = 0 THEN NULL ELSE date('2026-12-01', '+' || (i % 15) || ' days') END,
                      {HarborApp.Start.UtcTicks} - i * 10000000, 1
               FROM n JOIN s ON s.k = (i / 10) % {Salespeople}
               """
            : $"""
               INSERT INTO "Customers" ("Id", "Name", "NameKey", "Status", "OwnerId", "StartsOn", "DueOn", "CreatedAt", "Version")
               SELECT md5(i::text)::uuid, '规模测试' || i || '号科技有限公司', 'scale' || i,
                      CASE WHEN i % 10 = 0 THEN 'InPool' ELSE 'Protected' END,
                      CASE WHEN i % 10 = 0 THEN NULL ELSE (ARRAY(SELECT "Id" FROM "Users" WHERE "Role" = 'Salesperson' ORDER BY "Id"))[1 + (i / 10) % {Salespeople}] END,
                      CASE WHEN i % 10 = 0 THEN NULL ELSE date '2026-11-16' + (i % 15) END,
                      CASE WHEN i % 10 = 0 THEN NULL ELSE date '2026-12-01' + (i % 15) END,
                      timestamptz '2026-12-01 01:00+00' - i * interval '1 second', 1
               FROM generate_series(1, {Customers}) AS i
               """;
        await db.Database.ExecuteSqlRawAsync(sql);
        if (engine == Engine.Postgres)
            await db.Database.ExecuteSqlRawAsync("ANALYZE \"Customers\"");
    }
}
