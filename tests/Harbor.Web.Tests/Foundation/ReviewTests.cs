using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Issue 6: a likely duplicate waits for the clerk, its name and slot reserved.</summary>
public sealed class ReviewTests
{
    private sealed record Cast(HarborApp App, Person First, Person Second, Person Third, Person Clerk, Guid Existing);

    private static async Task<Cast> CastAsync(Engine engine)
    {
        var app = await HarborApp.StartAsync(engine);
        var people = await app.SalespeopleAsync(3, await app.CreateGroupAsync());
        var clerk = (await app.SeedPeopleAsync(Role.Clerk, 1, null))[0];
        var existing = await people[0].Client.RegisterOkAsync("杭州云帆科技有限公司");
        return new Cast(app, people[0], people[1], people[2], clerk, existing);
    }

    private static async Task<Guid> PendingAsync(Cast c)
    {
        var body = await (await c.Second.Client.RegisterAsync("云帆网络科技有限公司")).AssertStatusAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending-review", body.GetProperty("status").GetString());
        var candidate = Assert.Single(body.GetProperty("candidates").EnumerateArray());
        Assert.Equal(c.Existing, candidate.GetProperty("customerId").GetGuid());
        return body.GetProperty("registrationId").GetGuid();
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Register_LikelyDuplicate_WaitsWithNameAndSlotReserved(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;

        var id = await PendingAsync(c);

        var sheet = await (await c.Second.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(1, sheet.GetProperty("slotsUsed").GetInt32());
        Assert.Equal("pending-review", Assert.Single(sheet.GetProperty("customers").EnumerateArray()).GetProperty("status").GetString());
        var problem = await (await c.Third.Client.RegisterAsync("云帆网络科技（杭州）有限公司")).AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
        Assert.Equal("pending-review", problem.GetProperty("status").GetString());
        var check = await (await c.Third.Client.PostAsJsonAsync("/api/customers/check", new { name = "云帆网络科技" })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(check.GetProperty("matches").EnumerateArray(), m => m.GetProperty("customerId").GetGuid() == id && m.GetProperty("status").GetString() == "pending-review");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Check_ExactSimilarAndPending_OneAnswerInThatOrderEachWithItsHolder(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var pending = await PendingAsync(c);
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
        var byPhone = await c.Third.Client.RegisterOkAsync(c.App.UniqueName("电话客户"), phone);

        // The pending registration's own name, and another customer's phone written another way.
        var check = await (await c.Clerk.Client.PostAsJsonAsync("/api/customers/check", new { name = "云帆网络科技有限公司", phone = $"+86 {phone[..3]} {phone[3..7]} {phone[7..]}" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        var matches = check.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal([byPhone, c.Existing, pending], matches.Select(m => m.GetProperty("customerId").GetGuid()));
        Assert.Equal(["phone", "similar-name", "name"], matches.Select(m => m.GetProperty("match").GetString()));
        Assert.Equal(["protected", "protected", "pending-review"], matches.Select(m => m.GetProperty("status").GetString()));
        Assert.Equal([c.Third.DisplayName, c.First.DisplayName, c.Second.DisplayName], matches.Select(m => m.GetProperty("holder").GetProperty("displayName").GetString()));
        Assert.All(matches, m => Assert.False(string.IsNullOrEmpty(m.GetProperty("holder").GetProperty("group").GetString())));
        Assert.Equal("2026-12-16", matches[0].GetProperty("dueOn").GetString());
        Assert.False(matches[2].TryGetProperty("dueOn", out var reviewDue), $"a registration has no due date yet: {reviewDue}");
        Assert.DoesNotContain(phone, check.GetRawText());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Review_ClerkApproves_ProtectedFromThatDayAndTheSalespersonIsTold(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = await PendingAsync(c);
        var queue = await (await c.Clerk.Client.GetAsync("/api/reviews")).AssertStatusAsync(HttpStatusCode.OK);
        var item = Assert.Single(queue.GetProperty("items").EnumerateArray());
        Assert.Equal(c.Existing, Assert.Single(item.GetProperty("candidates").EnumerateArray()).GetProperty("customerId").GetGuid());

        c.App.Clock.Advance(TimeSpan.FromDays(1));
        var decided = await (await c.Clerk.Client.PostAsync($"/api/reviews/{id}/approve", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(id, decided.GetProperty("customerId").GetGuid());
        Assert.Equal("2026-12-02", decided.GetProperty("protection").GetProperty("startsOn").GetString());
        var record = await (await c.Second.Client.GetAsync($"/api/customers/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("protected", record.GetProperty("status").GetString());
        var told = await (await c.Second.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "registration-reviewed" && i.GetProperty("approved").GetBoolean());
        await (await c.Clerk.Client.PostAsync($"/api/reviews/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Conflict, "already-decided");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Review_ClerkRejectsAsDuplicate_SlotFreedAndTheSalespersonIsTold(Engine engine)
    {
        var c = await CastAsync(engine);
        await using var _ = c.App;
        var id = await PendingAsync(c);

        await (await c.Clerk.Client.PostAsJsonAsync($"/api/reviews/{id}/reject", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var decided = await (await c.Clerk.Client.PostAsJsonAsync($"/api/reviews/{id}/reject", new { duplicateOfId = c.Existing })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("rejected", decided.GetProperty("status").GetString());
        var sheet = await (await c.Second.Client.GetAsync("/api/me/customers")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(0, sheet.GetProperty("slotsUsed").GetInt32());
        var told = await (await c.Second.Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(told.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "registration-reviewed" && !i.GetProperty("approved").GetBoolean());
        Assert.Empty((await (await c.Clerk.Client.GetAsync("/api/reviews")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Review_NotTheClerk_Forbidden()
    {
        var c = await CastAsync(Engine.Sqlite);
        await using var _ = c.App;
        var id = await PendingAsync(c);

        await (await c.Second.Client.PostAsync($"/api/reviews/{id}/approve", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await c.Second.Client.GetAsync("/api/reviews")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
