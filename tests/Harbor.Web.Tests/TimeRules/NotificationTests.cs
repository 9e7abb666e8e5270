using System.Net;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.TimeRules;

public sealed class NotificationTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task MarkRead_OwnNotification_ReadAndUnreadCountDrops(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var people = await app.SalespeopleAsync(2, await app.CreateGroupAsync());
        await people[0].Client.RegisterOkAsync(app.UniqueName("铃铛"));
        await people[0].Client.RegisterOkAsync(app.UniqueName("铃铛"));
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 15, 9, 0, 0, TimeSpan.FromHours(8)));
        await app.SweepAsync();
        var before = await (await people[0].Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(2, before.GetProperty("unread").GetInt32());
        var id = before.GetProperty("items")[0].GetProperty("id").GetGuid();

        await (await people[1].Client.PostAsync($"/api/me/notifications/{id}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NoContent, (await people[0].Client.PostAsync($"/api/me/notifications/{id}/read", null)).StatusCode);

        var after = await (await people[0].Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(1, after.GetProperty("unread").GetInt32());
        Assert.True(after.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id).GetProperty("read").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await people[0].Client.PostAsync("/api/me/notifications/read-all", null)).StatusCode);
        Assert.Equal(0, (await (await people[0].Client.GetAsync("/api/me/notifications")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("unread").GetInt32());
    }
}
