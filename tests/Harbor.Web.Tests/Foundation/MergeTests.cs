using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Extensions;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Issue 6: the clerk merges two customers found later to be one company.</summary>
public sealed class MergeTests(SharedApps apps)
{
    private sealed record Cast(HarborApp App, Person Ann, Person Bob, Person Clerk);

    private async Task<Cast> CastAsync(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var people = await app.SalespeopleAsync(2, await app.CreateGroupAsync());
        var clerk = (await app.SeedPeopleAsync(Role.Clerk, 1, null))[0];
        return new Cast(app, people[0], people[1], clerk);
    }

    private static string Unique(string name) => $"{name}{Guid.NewGuid().ToString("N")[..6]}有限公司";

    private static string Phone() => $"0571-8{Random.Shared.Next(1_000_000, 9_999_999)}";

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Merge_SameOwner_OldIdResolvesToTheKeptCustomerWithBothHistories(Engine engine)
    {
        var c = await CastAsync(engine);
        var kept = await c.Ann.Client.RegisterOkAsync(Unique("蓝鲸科技"));
        var away = await c.Ann.Client.RegisterOkAsync(Unique("沧海物流"), Phone());

        var merged = await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{away}/merge", new { intoCustomerId = kept, reason = "renamed, same licence" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(kept, merged.GetProperty("customerId").GetGuid());
        Assert.Equal(away, merged.GetProperty("mergedCustomerId").GetGuid());
        var read = await (await c.Ann.Client.GetAsync($"/api/customers/{away}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(kept, read.GetProperty("id").GetGuid());
        Assert.Equal(away, read.GetProperty("mergedFrom").GetGuid());
        Assert.Equal("protected", read.GetProperty("status").GetString());

        var history = await (await c.Ann.Client.GetAsync($"/api/customers/{kept}/history")).AssertStatusAsync(HttpStatusCode.OK);
        var events = history.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("customerId").GetGuid() == away && e.GetProperty("kind").GetString() == "registered");
        var mergedLines = events.Where(e => e.GetProperty("kind").GetString() == "merged").ToList();
        Assert.Equal(2, mergedLines.Count);
        Assert.All(mergedLines, e =>
        {
            Assert.Equal(c.Clerk.Id, e.GetProperty("actor").GetProperty("id").GetGuid());
            Assert.Contains("renamed, same licence", e.GetProperty("reason").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(away, Assert.Single(history.GetProperty("merged").EnumerateArray()).GetProperty("id").GetGuid());
        var oldHistory = await (await c.Clerk.Client.GetAsync($"/api/customers/{away}/history")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(kept, oldHistory.GetProperty("customerId").GetGuid());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Merge_MergedAwayKeys_BlockARegistrationOnceAsTheKeptCustomerAndTheSlotIsFreed(Engine engine)
    {
        var c = await CastAsync(engine);
        var kept = await c.Ann.Client.RegisterOkAsync(Unique("蓝鲸科技"));
        var awayName = Unique("沧海物流");
        var phone = Phone();
        var away = await c.Ann.Client.RegisterOkAsync(awayName, phone);
        var before = (await (await c.Ann.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("slotsUsed").GetInt32();

        await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{away}/merge", new { intoCustomerId = kept, reason = "same company" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        var after = (await (await c.Ann.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("slotsUsed").GetInt32();
        Assert.Equal(before - 1, after);
        var check = await (await c.Bob.Client.PostAsJsonAsync("/api/customers/check", new { name = awayName, phone })).AssertStatusAsync(HttpStatusCode.OK);
        var match = Assert.Single(check.GetProperty("matches").EnumerateArray());
        Assert.Equal(kept, match.GetProperty("customerId").GetGuid());
        Assert.Equal("phone", match.GetProperty("match").GetString());
        var refused = await (await c.Bob.Client.RegisterAsync(awayName)).AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
        Assert.Equal(kept, refused.GetProperty("customerId").GetGuid());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Merge_HeldByDifferentSalespeople_409MergeOwnersDifferAndNothingChanges(Engine engine)
    {
        var c = await CastAsync(engine);
        var kept = await c.Ann.Client.RegisterOkAsync(Unique("蓝鲸科技"));
        var away = await c.Bob.Client.RegisterOkAsync(Unique("沧海物流"));

        var problem = await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{away}/merge", new { intoCustomerId = kept, reason = "same company" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "merge-owners-differ");

        Assert.Equal(c.Bob.Id, problem.GetProperty("ownerId").GetGuid());
        Assert.Equal(c.Ann.Id, problem.GetProperty("intoOwnerId").GetGuid());
        var read = await (await c.Bob.Client.GetAsync($"/api/customers/{away}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(away, read.GetProperty("id").GetGuid());
        Assert.Equal("protected", read.GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Merge_Refusals_ClerkOnlyReasonRequiredNotIntoItselfNotTwice(Engine engine)
    {
        var c = await CastAsync(engine);
        var kept = await c.Ann.Client.RegisterOkAsync(Unique("蓝鲸科技"));
        var away = await c.Ann.Client.RegisterOkAsync(Unique("沧海物流"));
        var url = $"/api/customers/{away}/merge";

        await (await c.Ann.Client.PostAsJsonAsync(url, new { intoCustomerId = kept, reason = "mine" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await c.Clerk.Client.PostAsJsonAsync(url, new { intoCustomerId = kept })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await c.Clerk.Client.PostAsJsonAsync(url, new { reason = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await c.Clerk.Client.PostAsJsonAsync(url, new { intoCustomerId = away, reason = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{Guid.NewGuid()}/merge", new { intoCustomerId = kept, reason = "x" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await c.Clerk.Client.PostAsJsonAsync(url, new { intoCustomerId = kept, reason = "same" })).AssertStatusAsync(HttpStatusCode.OK);
        var twice = await (await c.Clerk.Client.PostAsJsonAsync(url, new { intoCustomerId = kept, reason = "same" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "customer-merged");
        Assert.Equal(kept, twice.GetProperty("intoCustomerId").GetGuid());
        await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{kept}/merge", new { intoCustomerId = away, reason = "back" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "customer-merged");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Merge_KeptCustomerMergedInTurn_FirstIdResolvesToTheLast(Engine engine)
    {
        var c = await CastAsync(engine);
        var first = await c.Ann.Client.RegisterOkAsync(Unique("蓝鲸科技"));
        var second = await c.Ann.Client.RegisterOkAsync(Unique("沧海物流"));
        var third = await c.Ann.Client.RegisterOkAsync(Unique("青木食品"));

        await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{first}/merge", new { intoCustomerId = second, reason = "same" })).AssertStatusAsync(HttpStatusCode.OK);
        await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{second}/merge", new { intoCustomerId = third, reason = "same" })).AssertStatusAsync(HttpStatusCode.OK);

        var read = await (await c.Clerk.Client.GetAsync($"/api/customers/{first}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(third, read.GetProperty("id").GetGuid());
        var history = await (await c.Clerk.Client.GetAsync($"/api/customers/{third}/history")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(2, history.GetProperty("merged").GetArrayLength());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Merge_OwnersLiveWork_FollowsTheCompanyToTheKeptCustomerUnlessAlreadyThere(Engine engine)
    {
        var c = await CastAsync(engine);
        var carol = (await c.App.SalespeopleAsync(1, c.Ann.GroupId!.Value))[0];
        var kept = await c.Ann.Client.RegisterOkAsync(Unique("蓝鲸科技"));
        var away = await c.Ann.Client.RegisterOkAsync(Unique("沧海物流"));
        var extension = await ProposeAsync(c.Ann.Client, "/api/extensions", new { customerId = away, days = 3, reason = "客户出差，下周签约" });
        var bobOnKept = await ProposeAsync(c.Ann.Client, "/api/cooperations", new { customerId = kept, partnerId = c.Bob.Id, sharePercent = 20 });
        var bobOnAway = await ProposeAsync(c.Ann.Client, "/api/cooperations", new { customerId = away, partnerId = c.Bob.Id, sharePercent = 30 });
        var carolOnAway = await ProposeAsync(c.Ann.Client, "/api/cooperations", new { customerId = away, partnerId = carol.Id, sharePercent = 10 });

        await (await c.Clerk.Client.PostAsJsonAsync($"/api/customers/{away}/merge", new { intoCustomerId = kept, reason = "same licence" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        await c.App.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            var request = await db.Extensions.AsNoTracking().SingleAsync(e => e.Id == extension);
            Assert.Equal((kept, ExtensionStatus.Pending), (request.CustomerId, request.Status));
            var cooperations = await db.Cooperations.AsNoTracking().ToDictionaryAsync(x => x.Id);
            Assert.Equal((kept, CooperationStatus.Pending), (cooperations[bobOnKept].CustomerId, cooperations[bobOnKept].Status));
            Assert.Equal((away, CooperationStatus.Ended), (cooperations[bobOnAway].CustomerId, cooperations[bobOnAway].Status));
            Assert.Equal((kept, CooperationStatus.Pending), (cooperations[carolOnAway].CustomerId, cooperations[carolOnAway].Status));
            return 0;
        });
    }

    private static async Task<Guid> ProposeAsync(HttpClient client, string url, object body) =>
        (await (await client.PostAsJsonAsync(url, body)).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
