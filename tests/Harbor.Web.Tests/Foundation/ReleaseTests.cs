using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Giving a customer up: it waits for the next publication time, and nobody can take it meanwhile.</summary>
public sealed class ReleaseTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Release_BeforeTen_PublishedAtTenTodayAndNobodyCanRegisterIt(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group);
        var other = await app.CreatePersonAsync("salesperson", group);
        var name = app.UniqueName("放弃公司");
        var id = await owner.Client.RegisterOkAsync(name);

        var body = await (await owner.Client.PostAsJsonAsync($"/api/customers/{id}/release", new { reason = "客户无意向" }))
            .AssertStatusAsync(HttpStatusCode.OK);

        // The shared clock stands at 09:00 on 1 December (Shanghai).
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)), body.GetProperty("publishAt").GetDateTimeOffset());
        var problem = await (await other.Client.RegisterAsync(name)).AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
        Assert.Equal("pending-publication", problem.GetProperty("status").GetString());
        var again = await owner.Client.RegisterAsync(name);
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "customer-taken");
        var sheet = await owner.Client.GetFromJsonAsync<RegistrationTests.SheetBody>("/api/me/customers");
        Assert.Equal(0, sheet!.SlotsUsed);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Release_AfterTen_PublishedAtTenTheNextDay(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("下午放弃"));
        // Exactly 10:00 is already too late for today's publication.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        using var client = await app.SignInAsync(owner.Username, HarborApp.Password);

        var body = await (await client.PostAsync($"/api/customers/{id}/release", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8)), body.GetProperty("publishAt").GetDateTimeOffset());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Release_SomeoneElsesCustomer_NotYourCustomerAndUnchanged(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var owner = await app.CreatePersonAsync("salesperson", group);
        var other = await app.CreatePersonAsync("salesperson", group);
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("别人的"));

        await (await other.Client.PostAsJsonAsync($"/api/customers/{id}/release", new { })).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");

        var record = await owner.Client.GetFromJsonAsync<RegistrationTests.CustomerBody>($"/api/customers/{id}");
        Assert.Equal("protected", record!.Status);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Release_ByClerk_Allowed(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var clerk = await app.CreatePersonAsync("clerk", null);
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("文员释放"));

        await (await clerk.Client.PostAsJsonAsync($"/api/customers/{id}/release", new { reason = "离职交接" })).AssertStatusAsync(HttpStatusCode.OK);

        var record = await clerk.Client.GetFromJsonAsync<RegistrationTests.CustomerBody>($"/api/customers/{id}");
        Assert.Equal("pending-publication", record!.Status);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Release_Twice_SecondRefused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var id = await owner.Client.RegisterOkAsync(app.UniqueName("两次"));
        await (await owner.Client.PostAsync($"/api/customers/{id}/release", null)).AssertStatusAsync(HttpStatusCode.OK);

        await (await owner.Client.PostAsync($"/api/customers/{id}/release", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "not-your-customer");
    }

    [Fact]
    public async Task Release_UnknownCustomer_NotFound()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var owner = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());

        await (await owner.Client.PostAsync($"/api/customers/{Guid.NewGuid()}/release", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
