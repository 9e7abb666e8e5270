using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Access;

/// <summary>Every change of ownership is on record, and nobody can edit or delete the record.</summary>
public sealed class AuditTrailTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task History_RegisterReleaseClaim_WholeOwnershipHistoryWithWhoWhenWhy(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var people = await app.SalespeopleAsync(2, group);
        var id = await people[0].Client.RegisterOkAsync(app.UniqueName("历史"));
        (await people[0].Client.PostAsJsonAsync($"/api/customers/{id}/release", new { reason = "预算取消" })).EnsureSuccessStatusCode();
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        await app.SweepAsync();
        (await people[1].Client.PostAsync($"/api/pool/{id}/claim", null)).EnsureSuccessStatusCode();

        var history = await (await people[1].Client.GetAsync($"/api/customers/{id}/history")).AssertStatusAsync(HttpStatusCode.OK);

        var events = history.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["registered", "released", "published", "claimed"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(people[0].Id, events[0].GetProperty("actor").GetProperty("id").GetGuid());
        Assert.Equal("预算取消", events[1].GetProperty("reason").GetString());
        Assert.Equal(people[0].Id, events[1].GetProperty("salesperson").GetProperty("id").GetGuid());
        Assert.Equal(people[1].Id, events[3].GetProperty("salesperson").GetProperty("id").GetGuid());
        await (await people[0].Client.GetAsync($"/api/customers/{id}/history")).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task History_RawUpdateOrDelete_RefusedByTheDatabase(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var sales = (await app.SalespeopleAsync(1, await app.CreateGroupAsync()))[0];
        await sales.Client.RegisterOkAsync(app.UniqueName("不可改"));
        using var admin = await app.AdminAsync();
        var leaver = await app.CreatePersonAsync("clerk", null);
        (await admin.PostAsync($"/api/users/{leaver.Id}/deactivate", null)).EnsureSuccessStatusCode();

        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            Assert.True(await db.CustomerEvents.AnyAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"CustomerEvents\" SET \"Reason\" = 'forged'"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"CustomerEvents\""));
            Assert.True(await db.AuditEntries.AnyAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Action\" = 'nothing'"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\""));
            Assert.Equal(0, await db.CustomerEvents.CountAsync(e => e.Reason == "forged"));
            return true;
        });
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Audit_SearchByWhoWhatCustomerAndPeriod(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var people = await app.SalespeopleAsync(2, await app.CreateGroupAsync());
        var mine = await people[0].Client.RegisterOkAsync(app.UniqueName("审计甲"));
        await people[1].Client.RegisterOkAsync(app.UniqueName("审计乙"));
        (await people[0].Client.PostAsync($"/api/customers/{mine}/release", null)).EnsureSuccessStatusCode();
        var clerk = await app.CreatePersonAsync("clerk", null);

        var byWho = await (await clerk.Client.GetAsync($"/api/audit?actorId={people[0].Id}")).AssertStatusAsync(HttpStatusCode.OK);
        var byWhat = await (await clerk.Client.GetAsync("/api/audit?action=released")).AssertStatusAsync(HttpStatusCode.OK);
        var byCustomer = await (await clerk.Client.GetAsync($"/api/audit?customerId={mine}")).AssertStatusAsync(HttpStatusCode.OK);
        var outside = await (await clerk.Client.GetAsync("/api/audit?from=2026-12-02&to=2026-12-31")).AssertStatusAsync(HttpStatusCode.OK);
        var inside = await (await clerk.Client.GetAsync("/api/audit?from=2026-12-01&to=2026-12-01")).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(["released", "registered"], byWho.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        Assert.Equal(mine, Assert.Single(byWhat.GetProperty("items").EnumerateArray()).GetProperty("customerId").GetGuid());
        Assert.Equal(2, byCustomer.GetProperty("items").GetArrayLength());
        Assert.Empty(outside.GetProperty("items").EnumerateArray());
        Assert.True(inside.GetProperty("items").GetArrayLength() >= 3);
        await (await people[0].Client.GetAsync("/api/audit")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
