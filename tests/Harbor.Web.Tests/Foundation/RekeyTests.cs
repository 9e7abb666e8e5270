using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Issue 6: stored keys and grams follow the normalisers; a version change re-keys them at start.</summary>
public sealed class RekeyTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rekey_KeysOfAnOlderNormaliser_RecomputedGramsRebuiltAndVersionStored(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var beer = await owner.Client.RegisterOkAsync("青岛啤酒股份有限公司", "(010) 8888-6666");
        var mobile = await owner.Client.RegisterOkAsync("星辰科技有限公司", "138 0013 8000");

        var (changed, again, stored) = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            Assert.Equal(DuplicateKeys.Version, await StoredVersionAsync(db));
            // As the registry stood under the older normalisers: digits-only phones, 青岛啤酒 keyed 啤酒, no grams.
            await db.Customers.Where(c => c.Id == beer).ExecuteUpdateAsync(s => s.SetProperty(c => c.NameKey, "啤酒").SetProperty(c => c.PhoneKey, "01088886666"));
            await db.Customers.Where(c => c.Id == mobile).ExecuteUpdateAsync(s => s.SetProperty(c => c.PhoneKey, "13800138000"));
            await db.CustomerNameGrams.Where(g => g.CustomerId == beer).ExecuteDeleteAsync();
            await db.RegistrySettings.Where(r => r.Name == RegistrySetting.KeysVersion).ExecuteUpdateAsync(s => s.SetProperty(r => r.Value, "older"));

            var changed = await DatabaseSetup.RekeyAsync(db, app.Clock, CancellationToken.None);
            var again = await DatabaseSetup.RekeyAsync(db, app.Clock, CancellationToken.None);
            return (changed, again, await StoredVersionAsync(db));
        });

        Assert.Equal(2, changed);
        Assert.Equal(0, again);
        Assert.Equal(DuplicateKeys.Version, stored);
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var keys = await db.Customers.AsNoTracking().Where(c => c.Id == beer || c.Id == mobile).ToDictionaryAsync(c => c.Id, c => (c.NameKey, c.PhoneKey));
            Assert.Equal(("青岛啤酒", "+861088886666"), keys[beer]);
            Assert.Equal(("星辰科技", "+8613800138000"), keys[mobile]);
            Assert.True(await db.CustomerNameGrams.AnyAsync(g => g.CustomerId == beer));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "keys-rekeyed"));
            return 0;
        });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rekey_NewKeyHeldByAnotherCustomer_OldKeyKeptAndCollisionAudited(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var holder = await owner.Client.RegisterOkAsync("海岳科技有限公司", "010-66668888");
        var other = await owner.Client.RegisterOkAsync("云帆贸易有限公司");

        var keys = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            // The older normaliser could not read this spelling, so it stored no phone key; the new one reads it
            // as the number another customer holds: probably one company, for the clerk to merge.
            await db.Customers.Where(c => c.Id == other).ExecuteUpdateAsync(s => s.SetProperty(c => c.Phone, "(010) 6666-8888"));
            await db.RegistrySettings.Where(r => r.Name == RegistrySetting.KeysVersion).ExecuteDeleteAsync();

            await DatabaseSetup.RekeyAsync(db, app.Clock, CancellationToken.None);

            var collision = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "rekey-collision");
            Assert.Equal(other, collision.SubjectId);
            Assert.Contains(holder.ToString(), collision.Details, StringComparison.Ordinal);
            Assert.Equal(DuplicateKeys.Version, await StoredVersionAsync(db));
            return await db.Customers.AsNoTracking().Where(c => c.Id == holder || c.Id == other).ToDictionaryAsync(c => c.Id, c => c.PhoneKey);
        });

        Assert.Equal("+861066668888", keys[holder]);
        Assert.Null(keys[other]);
    }

    [Fact]
    public async Task Rekey_TwoInstancesStartingTogetherOnPostgres_TakeTurnsAndRekeyOnce()
    {
        await using var app = await HarborApp.StartAsync(Engine.Postgres);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
            ids.Add(await owner.Client.RegisterOkAsync(app.UniqueName("海岳科技") + "有限公司", $"010-6{i:D3}8888"));
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            // As the registry stood under the older normaliser: digits-only phones, and no grams.
            foreach (var id in ids)
                await db.Customers.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.PhoneKey, c => c.PhoneKey!.Substring(3)));
            await db.CustomerNameGrams.Where(g => ids.Contains(g.CustomerId)).ExecuteDeleteAsync();
            await db.RegistrySettings.Where(r => r.Name == RegistrySetting.KeysVersion).ExecuteUpdateAsync(s => s.SetProperty(r => r.Value, "older"));
            return 0;
        });

        // Two instances' start-up work, each on its own connection, released together: re-keying, then (with
        // the grams gone again) indexing names.
        var rekeyed = await TwoAtOnceAsync(app, db => DatabaseSetup.RekeyAsync(db, app.Clock, CancellationToken.None));
        await app.InScopeAsync(services => services.GetRequiredService<HarborDbContext>().CustomerNameGrams.Where(g => ids.Contains(g.CustomerId)).ExecuteDeleteAsync());
        var indexed = await TwoAtOnceAsync(app, db => DatabaseSetup.IndexNamesAsync(db, CancellationToken.None));

        Assert.Equal([0, ids.Count], rekeyed.Order());
        Assert.Equal([0, ids.Count], indexed.Order());
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "keys-rekeyed" && a.Details!.StartsWith("older")));
            Assert.All(await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.PhoneKey).ToListAsync(),
                key => Assert.StartsWith("+8610", key, StringComparison.Ordinal));
            return 0;
        });
    }

    private static async Task<int[]> TwoAtOnceAsync(HarborApp app, Func<HarborDbContext, Task<int>> work)
    {
        var start = new TaskCompletionSource();
        var instances = Enumerable.Range(0, 2).Select(_ => Task.Run(() => app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            await start.Task;
            return await work(db);
        }))).ToList();
        start.SetResult();
        return await Task.WhenAll(instances);
    }

    private static Task<string?> StoredVersionAsync(HarborDbContext db) =>
        db.RegistrySettings.AsNoTracking().Where(r => r.Name == RegistrySetting.KeysVersion).Select(r => r.Value).FirstOrDefaultAsync();
}
