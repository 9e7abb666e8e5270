using System.Net;
using Harbor.Domain.Customers;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Foundation;

/// <summary>
/// The two invariants of rules 1 and 3 under requests that really race: no customer has two
/// owners, nobody holds more than 15 active protections. The database guards them.
/// </summary>
public sealed class RaceTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_64ConcurrentForEightContestedCustomers_OneOwnerEachNobodyAboveQuota(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var groups = new[] { await app.CreateGroupAsync(), await app.CreateGroupAsync() };
        var salespeople = new List<Person>();
        for (var i = 0; i < 8; i++)
        {
            var person = await app.CreatePersonAsync("salesperson", groups[i % 2]);
            for (var j = 0; j < 12; j++)
                await person.Client.RegisterOkAsync(app.UniqueName("已有客户"));
            salespeople.Add(person);
        }

        // Name variants of one company race each other too: the normalised key decides.
        var brands = Enumerable.Range(0, 8).Select(i => app.UniqueName("争抢")).ToList();
        string[] variants = ["北京{0}科技有限公司", "{0}科技（北京）有限公司", "北京市{0}科技有限公司", "{0}科技有限公司"];
        var start = new TaskCompletionSource();
        var attempts = salespeople.SelectMany((p, i) => brands.Select((b, j) => Task.Run(async () =>
        {
            await start.Task;
            return await p.Client.RegisterAsync(string.Format(variants[(i + j) % variants.Length], b));
        }))).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(64, responses.Length);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"Got {(int)r.StatusCode}"));
        Assert.Equal(8, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        await AssertInvariantsAsync(app, slotLimit: 15);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_64ConcurrentBySalespersonWithFiveFreeSlots_ExactlyFiveWin(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        for (var j = 0; j < 10; j++)
            await sales.Client.RegisterOkAsync(app.UniqueName("已有客户"));

        var start = new TaskCompletionSource();
        var attempts = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await sales.Client.RegisterAsync(app.UniqueName("新客户"));
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "quota-full");
        await AssertInvariantsAsync(app, slotLimit: 15);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_ConcurrentGiveUpOfOneCustomerForTwoNewOnes_OnlyOneSucceeds(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var old = await sales.Client.RegisterOkAsync(app.UniqueName("旧客户"));
        for (var j = 1; j < 15; j++)
            await sales.Client.RegisterOkAsync(app.UniqueName("已有客户"));

        var start = new TaskCompletionSource();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await sales.Client.RegisterAsync(app.UniqueName("换新"), releaseCustomerId: old);
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        await AssertInvariantsAsync(app, slotLimit: 15);
    }

    private static async Task AssertInvariantsAsync(HarborApp app, int slotLimit)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
        var customers = await db.Customers.AsNoTracking().Select(c => new { c.NameKey, c.OwnerId, c.Status }).ToListAsync();
        Assert.All(customers.GroupBy(c => c.NameKey), g => Assert.Single(g));
        var held = customers.Where(c => c.Status is CustomerStatus.Protected or CustomerStatus.PendingReview)
            .GroupBy(c => c.OwnerId).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        Assert.True(held <= slotLimit, $"A salesperson holds {held} active protections (limit {slotLimit}).");
        var registered = await db.CustomerEvents.CountAsync(e => e.Kind == CustomerEventKind.Registered);
        Assert.Equal(customers.Count, registered);
    }
}
