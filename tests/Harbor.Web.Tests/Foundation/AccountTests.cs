using System.Net;
using System.Net.Http.Json;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Sign-in, groups and users: who is who.</summary>
public sealed class AccountTests(SharedApps apps)
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Health_Ready_200(Engine engine)
    {
        var app = await apps.GetAsync(engine);

        await (await app.CreateClient().GetAsync("/health")).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Token_GoodCredentials_TokenWithExpiry(Engine engine)
    {
        var app = await apps.GetAsync(engine);

        var body = await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "ADMIN", password = HarborApp.AdminPassword }))
            .AssertStatusAsync(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > app.Clock.GetUtcNow());
    }

    [Theory]
    [InlineData("admin", "wrong-password")]
    [InlineData("nobody", "Passw0rd-2026")]
    [InlineData("", "")]
    public async Task Token_BadCredentials_401(string username, string password)
    {
        var app = await apps.GetAsync(Engine.Sqlite);

        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
    }

    [Theory]
    [InlineData("GET", "/api/users/me")]
    [InlineData("GET", "/api/me/customers")]
    [InlineData("POST", "/api/registrations")]
    [InlineData("POST", "/api/groups")]
    [InlineData("GET", "/api/customers/00000000-0000-0000-0000-000000000001")]
    public async Task Api_Anonymous_401(string method, string url)
    {
        var app = await apps.GetAsync(Engine.Sqlite);

        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Api_ForgedToken_401()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");

        await (await client.GetAsync("/api/users/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Token_Expired_401()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        using var admin = await app.AdminAsync();
        app.Clock.Advance(TimeSpan.FromHours(12));

        await (await admin.GetAsync("/api/users/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CreateGroupAndUser_Admin_201AndMeShowsRoleAndGroup(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        using var admin = await app.AdminAsync();
        var groupName = app.UniqueName("华东");
        var group = await (await admin.PostAsJsonAsync("/api/groups", new { name = groupName })).AssertStatusAsync(HttpStatusCode.Created);
        var groupId = group.GetProperty("id").GetGuid();
        Assert.Equal(groupName, group.GetProperty("name").GetString());
        var username = app.UniqueName("sales");

        var user = await (await admin.PostAsJsonAsync("/api/users", new
        {
            username,
            password = HarborApp.Password,
            displayName = "张三",
            role = "salesperson",
            groupId,
            email = "zhang@example.com",
        })).AssertStatusAsync(HttpStatusCode.Created);

        Assert.NotEqual(Guid.Empty, user.GetProperty("id").GetGuid());
        using var sales = await app.SignInAsync(username, HarborApp.Password);
        var me = await (await sales.GetAsync("/api/users/me")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("salesperson", me.GetProperty("role").GetString());
        Assert.Equal(groupId, me.GetProperty("groupId").GetGuid());
        Assert.Equal("张三", me.GetProperty("displayName").GetString());
        Assert.False(me.TryGetProperty("passwordHash", out _));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CreateGroup_DuplicateName_409(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        using var admin = await app.AdminAsync();
        var name = app.UniqueName("重复组");
        (await admin.PostAsJsonAsync("/api/groups", new { name })).EnsureSuccessStatusCode();

        await (await admin.PostAsJsonAsync("/api/groups", new { name })).AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CreateUser_DuplicateUsernameAnyCase_409(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var person = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username = person.Username.ToUpperInvariant(),
            password = HarborApp.Password,
            displayName = "重名",
            role = "clerk",
        });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
    }

    [Theory]
    [InlineData("{\"username\":\"u1\",\"password\":\"short\",\"displayName\":\"x\",\"role\":\"clerk\"}", "password")]
    [InlineData("{\"username\":\"u2\",\"password\":\"12345678901\",\"displayName\":\"x\",\"role\":\"clerk\"}", "password")]
    [InlineData("{\"username\":\"u3\",\"password\":\"Passw0rd-2026\",\"displayName\":\"x\",\"role\":\"salesperson\"}", "groupId")]
    [InlineData("{\"username\":\"u4\",\"password\":\"Passw0rd-2026\",\"displayName\":\"x\",\"role\":\"manager\",\"groupId\":\"00000000-0000-0000-0000-000000000009\"}", "groupId")]
    [InlineData("{\"username\":\"bad name!\",\"password\":\"Passw0rd-2026\",\"displayName\":\"x\",\"role\":\"clerk\"}", "username")]
    [InlineData("{\"username\":\"u5\",\"password\":\"Passw0rd-2026\",\"displayName\":\"\",\"role\":\"clerk\"}", "displayName")]
    [InlineData("{\"username\":\"u6\",\"password\":\"Passw0rd-2026\",\"displayName\":\"x\"}", "role")]
    [InlineData("{\"username\":\"u7\",\"password\":\"Passw0rd-2026\",\"displayName\":\"x\",\"role\":\"clerk\",\"email\":\"not-mail\"}", "email")]
    public async Task CreateUser_InvalidField_ValidationFailedNamingIt(string json, string field)
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        using var admin = await app.AdminAsync();

        var response = await admin.PostAsync("/api/users", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("salesperson")]
    [InlineData("clerk")]
    [InlineData("manager")]
    [InlineData("director")]
    public async Task AdminRoutes_OtherRoles_403(string role)
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var person = await app.CreatePersonAsync(role, await app.CreateGroupAsync());

        await (await person.Client.PostAsJsonAsync("/api/groups", new { name = app.UniqueName("g") })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await person.Client.PostAsJsonAsync("/api/users", new { username = app.UniqueName("u"), password = HarborApp.Password, displayName = "x", role = "clerk" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
