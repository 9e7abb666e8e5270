using System.Net;
using System.Text.RegularExpressions;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// The web app's way in: a sign-in cookie on the same accounts as the API's bearer tokens,
/// antiforgery on every form, and an API that still answers problem+json, never a redirect.
/// </summary>
public sealed partial class WebSignInTests(SharedApps apps)
{
    private static HttpClient Browser(HarborApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> TokenFromAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return AntiforgeryField().Match(html).Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password, string returnUrl = "")
    {
        var path = "/login" + (returnUrl.Length > 0 ? "?returnUrl=" + Uri.EscapeDataString(returnUrl) : "");
        var token = await TokenFromAsync(client, path);
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token,
            ["Input.Username"] = username,
            ["Input.Password"] = password,
        }));
    }

    [Fact]
    public async Task Page_SignedOut_RedirectsToSignInInChinese()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        using var client = Browser(app);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        var home = await client.GetAsync("/my-customers");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login?returnUrl=%2Fmy-customers", home.Headers.Location!.PathAndQuery);

        var html = await client.GetStringAsync("/login");
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains(">登录</button>", html);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SignIn_SameAccountAsTheApi_CookieOpensPagesAndApi(Engine engine)
    {
        var app = await apps.GetAsync(engine);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "张三");
        using var client = Browser(app);

        var signedIn = await SignInAsync(client, sales.Username.ToUpperInvariant(), HarborApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/my-customers", signedIn.Headers.Location!.Local());
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("harbor.auth=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        var page = await client.GetAsync("/my-customers");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("我的客户", await page.Content.ReadAsStringAsync());
        var me = await (await client.GetAsync("/api/users/me")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(sales.Id, me.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task SignIn_ReturnUrl_GoesBackThereButNeverOffSite()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var clerk = await app.CreatePersonAsync("clerk", null);

        using var back = Browser(app);
        Assert.Equal("/policy", (await SignInAsync(back, clerk.Username, HarborApp.Password, "/policy")).Headers.Location!.Local());
        using var offSite = Browser(app);
        Assert.Equal("/registry", (await SignInAsync(offSite, clerk.Username, HarborApp.Password, "//evil.example/")).Headers.Location!.Local());
    }

    [Fact]
    public async Task SignIn_WrongPassword_SaysSoAndSetsNoCookie()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var client = Browser(app);

        var response = await SignInAsync(client, sales.Username, "wrong-password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("harbor.auth=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/my-customers")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_Refused()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var client = Browser(app);

        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.Username"] = sales.Username,
            ["Input.Password"] = HarborApp.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/my-customers")).StatusCode);
    }

    [Fact]
    public async Task Api_WithCookieButWrongRole_ProblemJsonNotRedirect()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var client = Browser(app);
        await SignInAsync(client, sales.Username, HarborApp.Password);

        await (await client.GetAsync("/api/registry")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var anonymous = Browser(app);
        await (await anonymous.GetAsync("/api/registry")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Page_WrongRole_ShowsDenied()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var client = Browser(app);
        await SignInAsync(client, sales.Username, HarborApp.Password);

        var response = await client.GetAsync("/registry");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task SignOut_NeedsTheFormToken_ThenEndsTheSession()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var client = Browser(app);
        await SignInAsync(client, sales.Username, HarborApp.Password);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/logout", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/my-customers")).StatusCode);

        var token = await TokenFromAsync(client, "/my-customers");
        var signedOut = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal("/login", signedOut.Headers.Location!.Local());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/my-customers")).StatusCode);
    }

    [Fact]
    public async Task Culture_English_IsRememberedAndSetsHtmlLang()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        using var client = Browser(app);
        var token = await TokenFromAsync(client, "/login");

        var switched = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["culture"] = "en",
            ["returnUrl"] = "/login",
        }));

        Assert.Equal("/login", switched.Headers.Location!.Local());
        var html = await client.GetStringAsync("/login");
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains(">Sign in</button>", html);
    }

    [Fact]
    public async Task UnknownAddress_PageIn404_ApiInProblemJson()
    {
        var app = await apps.GetAsync(Engine.Sqlite);
        using var client = Browser(app);

        var page = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("页面不存在", await page.Content.ReadAsStringAsync());
        var api = await client.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cookie_AccountDeactivated_LosesItsSessionWithinAMinute()
    {
        await using var app = await HarborApp.StartAsync(Engine.Sqlite);
        var sales = await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync());
        using var client = Browser(app);
        await SignInAsync(client, sales.Username, HarborApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/my-customers")).StatusCode);

        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
            await db.Users.Where(u => u.Id == sales.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false));
        }

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/my-customers")).StatusCode);
        await (await client.GetAsync("/api/users/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

internal static class Redirects
{
    /// <summary>The path a redirect leads to, whether the server wrote it absolute or relative.</summary>
    public static string Local(this Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
