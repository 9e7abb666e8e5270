using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Harbor.Web.Features.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.WebEncoders;
using MudBlazor.Services;

namespace Harbor.Web.Components;

/// <summary>
/// The web app: Blazor with interactive server rendering and MudBlazor, in Chinese by default and
/// English on request. Pages call the same use cases as the API.
/// </summary>
public static class UiSetup
{
    public const string DefaultCulture = "zh-CN";
    public static readonly string[] Cultures = [DefaultCulture, "en"];

    public static IServiceCollection AddHarborUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Chinese text as text, not as &#x...; entities: a third of the bytes on a phone connection.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(DefaultCulture).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            // The browser's language is not asked: the team works in Chinese, and a person who wants
            // English says so once (the culture cookie remembers it).
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, CircuitAuthenticationState>();
        services.AddScoped<UseCases>();
        return services;
    }

    public static WebApplication MapHarborUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        // Both are forms of the app: the antiforgery token is required, as on every form.
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(AuthSetup.CookieScheme);
            return Results.LocalRedirect(AuthSetup.LoginPath);
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).AddEndpointFilter(ValidFormOnly).ExcludeFromDescription();

        app.MapPost("/culture", (HttpContext context, [FromForm] string? culture, [FromForm] string? returnUrl) =>
        {
            var chosen = Cultures.Contains(culture) ? culture! : DefaultCulture;
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).AddEndpointFilter(ValidFormOnly).AllowAnonymous().ExcludeFromDescription();

        return app;
    }

    /// <summary>
    /// The antiforgery middleware only records its verdict; form binding acts on it, and these
    /// endpoints bind no form model, so they act on it themselves.
    /// </summary>
    private static async ValueTask<object?> ValidFormOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            ? Results.BadRequest()
            : await next(context);

    /// <summary>Only paths on this site: a sign-in link must not send anyone elsewhere.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
}
