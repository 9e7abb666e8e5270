using System.Globalization;
using System.Security.Claims;
using Harbor.Web.Data;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Auth;

/// <summary>
/// Two ways in, one set of accounts: API clients send <c>Authorization: Bearer</c> (ADR-004),
/// people in a browser carry a cookie. A policy scheme picks the bearer handler when that header
/// is there and the cookie otherwise; under <c>/api</c> a missing or refused sign-in is always a
/// problem+json 401/403, never a redirect to the sign-in page.
/// </summary>
public static class AuthSetup
{
    public const string PolicyScheme = "Harbor";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string DisplayNameClaim = "harbor:display-name";
    public const string LoginPath = "/login";

    // How often a cookie is checked against the account (active, same role and group). Checking on
    // every request would read the database for every script and stylesheet too.
    internal static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(1);
    private const string CheckedAtKey = "harbor:checked-at";

    public static AuthenticationBuilder AddHarborAuthentication(this IServiceCollection services, HarborOptions harbor) =>
        services.AddSingleton<BearerTokenCache>().AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "harbor.auth";
                o.Cookie.HttpOnly = true;
                // Lax: a cross-site POST (or fetch) never carries the cookie, so the cookie cannot be
                // used to call the API from another site; a link from elsewhere still opens Harbor signed in.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = LoginPath;
                o.AccessDeniedPath = "/denied";
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = harbor.Auth.CookieLifetime;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? Problems.Write(context.HttpContext, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first: send Authorization: Bearer <token>.")
                    : Redirect(context);
                o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? Problems.Write(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "Your role may not do this.")
                    : Redirect(context);
                o.Events.OnValidatePrincipal = ValidateAsync;
            });

    /// <summary>The cookie's principal: the API's claims plus the name shown in the app bar.</summary>
    public static ClaimsPrincipal PrincipalOf(User user)
    {
        var claims = Viewers.ClaimsOf(user.Id, user.Username, user.Role, user.GroupId)
            .Append(new Claim(DisplayNameClaim, user.DisplayName));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme));
    }

    public static AuthenticationProperties NewProperties(TimeProvider clock) => new()
    {
        IsPersistent = true,
        Items = { [CheckedAtKey] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
    };

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A deactivated account loses its cookie within <see cref="RecheckInterval"/>; a changed role
    /// or group takes effect just as soon, without signing in again.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedAtKey, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            && now - checkedAt < RecheckInterval && now >= checkedAt)
            return;

        var current = await CurrentUserAsync(context.HttpContext.RequestServices.GetRequiredService<HarborDbContext>(),
            context.Principal, context.HttpContext.RequestAborted);
        if (current is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        context.ReplacePrincipal(PrincipalOf(current));
        context.Properties.Items[CheckedAtKey] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    /// <summary>The signed-in account as the database has it now, or null if it is gone or deactivated.</summary>
    public static async Task<User?> CurrentUserAsync(HarborDbContext db, ClaimsPrincipal? principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
            return null;
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.IsActive, ct);
    }
}
