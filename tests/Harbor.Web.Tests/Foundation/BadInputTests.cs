using System.Net;
using System.Text;
using Harbor.Web.Tests.Infrastructure;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Bad input gets a clear problem with a stable code, never a 500, and changes nothing.</summary>
public sealed class BadInputTests(SharedApps apps)
{
    public static TheoryData<string> Bodies =>
    [
        "{\"customer\": {\"name\": \"未闭合",
        "not json at all",
        "[]",
        "{\"customer\": \"a string\"}",
        "{\"customer\": {\"name\": 12}}",
        "{\"salespersonId\": \"not-a-guid\", \"customer\": {\"name\": \"x\"}}",
        "",
        "null",
    ];

    [Theory, MemberData(nameof(Bodies))]
    public async Task Registration_MalformedBody_400Problem(string body)
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());

        var response = await sales.Client.PostAsync("/api/registrations", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Registration_OversizedBody_413Problem()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        var huge = "{\"customer\": {\"name\": \"" + new string('大', 400_000) + "\"}}";

        var response = await sales.Client.PostAsync("/api/registrations", new StringContent(huge, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task Registration_UnknownRoleInUser_400Problem()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        using var admin = await app.AdminAsync();

        var response = await admin.PostAsync("/api/users",
            new StringContent("{\"username\":\"x1\",\"password\":\"Passw0rd-2026\",\"displayName\":\"x\",\"role\":\"king\"}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Customer_IdNotAGuid_404NotA500()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());

        var response = await sales.Client.GetAsync("/api/customers/12345");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
