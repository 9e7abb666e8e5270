using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Harbor.Web.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts an RFC 9457 problem with the status and stable code; returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        return json;
    }

    public static async Task<JsonElement> AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string name, string? phone = null, string? creditCode = null,
        Guid? salespersonId = null, Guid? releaseCustomerId = null, string? contactName = null) =>
        client.PostAsJsonAsync("/api/registrations", new
        {
            customer = new { name, phone, creditCode, contactName, address = contactName is null ? null : "某路1号" },
            salespersonId,
            releaseCustomerId,
        });

    /// <summary>
    /// Registers a prospect that may look like one already in the registry (test data shares a
    /// prefix to stay findable): if it waits for review, the clerk approves it as a new customer.
    /// </summary>
    public static async Task<Guid> RegisterApprovedAsync(this HttpClient client, HttpClient clerk, string name, string? phone = null)
    {
        var response = await client.RegisterAsync(name, phone);
        if (response.StatusCode == HttpStatusCode.Created)
            return (await response.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("customerId").GetGuid();
        var pending = await response.AssertStatusAsync(HttpStatusCode.Accepted);
        var decided = await (await clerk.PostAsync($"/api/reviews/{pending.GetProperty("registrationId").GetGuid()}/approve", null))
            .AssertStatusAsync(HttpStatusCode.OK);
        return decided.GetProperty("customerId").GetGuid();
    }

    public static async Task<Guid> RegisterOkAsync(this HttpClient client, string name, string? phone = null, Guid? salespersonId = null)
    {
        var body = await (await client.RegisterAsync(name, phone, salespersonId: salespersonId)).AssertStatusAsync(HttpStatusCode.Created);
        return body.GetProperty("customerId").GetGuid();
    }
}
