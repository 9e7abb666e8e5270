using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Access;

/// <summary>Ten failed sign-ins in a row lock an account for fifteen minutes; every attempt is audited.</summary>
public sealed class LockoutTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SignIn_TenFailuresInARow_LockedForFifteenMinutesEvenWithTheRightPassword(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var person = await app.CreatePersonAsync("clerk", null);
        var client = app.CreateClient();

        for (var i = 0; i < 10; i++)
            await (await client.PostAsJsonAsync("/api/auth/token", new { username = person.Username, password = "wrong-" + i }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");

        var locked = await (await client.PostAsJsonAsync("/api/auth/token", new { username = person.Username, password = HarborApp.Password }))
            .AssertProblemAsync(HttpStatusCode.Locked, "locked-out");
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(15), locked.GetProperty("until").GetDateTimeOffset());
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await (await client.PostAsJsonAsync("/api/auth/token", new { username = person.Username, password = HarborApp.Password })).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_NineFailuresThenSuccess_CounterStartsAgain()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var person = await app.CreatePersonAsync("clerk", null);
        var client = app.CreateClient();

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 9; i++)
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/token", new { username = person.Username, password = "wrong" })).StatusCode);
            await (await client.PostAsJsonAsync("/api/auth/token", new { username = person.Username, password = HarborApp.Password })).AssertStatusAsync(HttpStatusCode.OK);
        }
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Audit_SignInsFailuresAndAccountChanges_OnRecord(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var person = await app.CreatePersonAsync("clerk", null);
        await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = person.Username, password = "wrong" });

        var failed = await (await person.Client.GetAsync("/api/audit?action=sign-in-failed")).AssertStatusAsync(HttpStatusCode.OK);
        var signIns = await (await person.Client.GetAsync($"/api/audit?action=sign-in&actorId={person.Id}")).AssertStatusAsync(HttpStatusCode.OK);
        var created = await (await person.Client.GetAsync("/api/audit?action=user-created")).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Contains(failed.GetProperty("items").EnumerateArray(), i => i.GetProperty("subjectId").GetGuid() == person.Id);
        Assert.NotEmpty(signIns.GetProperty("items").EnumerateArray());
        var creation = Assert.Single(created.GetProperty("items").EnumerateArray(), i => i.GetProperty("subjectId").GetGuid() == person.Id);
        Assert.Equal("Administrator", creation.GetProperty("actor").GetProperty("displayName").GetString());
    }
}
