using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Administration;

/// <summary>The admin edits accounts and renames groups (PUT /api/users/{id}, PUT /api/groups/{id}).</summary>
public sealed class AdministrationTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task UpdateUser_NameRoleGroupEmail_ChangedAndSeenAtOnce(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var east = await app.CreateGroupAsync();
        var south = await app.CreateGroupAsync();
        var person = await app.CreatePersonAsync("manager", east, "王经理");
        using var admin = await app.AdminAsync();

        var body = await (await admin.PutAsJsonAsync($"/api/users/{person.Id}",
            new { displayName = "王磊", role = "manager", groupId = south, email = "wang@example.invalid" })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("王磊", body.GetProperty("displayName").GetString());
        Assert.Equal(south, body.GetProperty("groupId").GetGuid());
        var me = await (await person.Client.GetAsync("/api/users/me")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(south, me.GetProperty("groupId").GetGuid());
        Assert.Equal("wang@example.invalid", me.GetProperty("email").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task UpdateUser_SalespersonStillHoldingCustomers_KeepsTheRole(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var group = await app.CreateGroupAsync();
        var sales = await app.CreatePersonAsync("salesperson", group);
        await sales.Client.RegisterOkAsync(app.UniqueName("持有公司"));
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PutAsJsonAsync($"/api/users/{sales.Id}", new { displayName = "x", role = "clerk" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task UpdateUser_LastAdmin_CannotDropTheRole()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var admin = await app.AdminAsync();
        var me = await (await admin.GetAsync("/api/users/me")).AssertStatusAsync(HttpStatusCode.OK);

        await (await admin.PutAsJsonAsync($"/api/users/{me.GetProperty("id").GetGuid()}", new { displayName = "Admin", role = "clerk" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Theory]
    [InlineData("{\"displayName\":\"\",\"role\":\"clerk\"}", "displayName")]
    [InlineData("{\"displayName\":\"a\",\"role\":\"salesperson\"}", "groupId")]
    [InlineData("{\"displayName\":\"a\",\"role\":\"clerk\",\"email\":\"not-an-email\"}", "email")]
    public async Task UpdateUser_BadInput_400NamesTheField(string json, string field)
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PutAsync($"/api/users/{clerk.Id}", new StringContent(json, System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task RenameGroup_NewName_TakenNameRefused(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var name = app.UniqueName("组");
        var group = await app.CreateGroupAsync();
        var other = await app.CreateGroupAsync(name);
        using var admin = await app.AdminAsync();

        var renamed = await (await admin.PutAsJsonAsync($"/api/groups/{group}", new { name = name + "新" })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(name + "新", renamed.GetProperty("name").GetString());
        await (await admin.PutAsJsonAsync($"/api/groups/{group}", new { name })).AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
        await (await admin.PutAsJsonAsync($"/api/groups/{Guid.NewGuid()}", new { name = "无此组" })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.NotEqual(group, other);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Deactivate_Leaver_TokensGoneAtOnceCustomersUntouched(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var customer = await sales.Client.RegisterOkAsync(app.UniqueName("离职公司"));
        using var second = await app.SignInAsync(sales.Username, HarborApp.Password);
        var clerk = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();
        var eventsBefore = await EventsAsync(app, customer);

        var body = await (await admin.PostAsync($"/api/users/{sales.Id}/deactivate", null)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.False(body.GetProperty("isActive").GetBoolean());
        await (await sales.Client.GetAsync("/api/users/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await second.GetAsync("/api/users/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = sales.Username, password = HarborApp.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
            Assert.Equal(0, await db.ApiTokens.CountAsync(t => t.UserId == sales.Id));
        }

        var held = await (await clerk.Client.GetAsync($"/api/customers/{customer}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("protected", held.GetProperty("status").GetString());
        Assert.Equal(sales.Id, held.GetProperty("owner").GetProperty("id").GetGuid());
        Assert.Equal(eventsBefore, await EventsAsync(app, customer));
    }

    [Fact]
    public async Task Deactivate_Self_UnknownOrNotAdmin_Refused()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();
        var me = (await (await admin.GetAsync("/api/users/me")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid();

        await (await admin.PostAsync($"/api/users/{me}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PostAsync($"/api/users/{Guid.NewGuid()}/deactivate", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await clerk.Client.PostAsync($"/api/users/{clerk.Id}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private static async Task<int> EventsAsync(HarborApp app, Guid customerId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<HarborDbContext>().CustomerEvents.CountAsync(e => e.CustomerId == customerId);
    }

    [Fact]
    public async Task Edits_NotAdmin_Forbidden()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);

        await (await clerk.Client.PutAsJsonAsync($"/api/users/{clerk.Id}", new { displayName = "x", role = "admin" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await clerk.Client.PutAsJsonAsync($"/api/groups/{Guid.NewGuid()}", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
