using System.Security.Claims;

namespace Harbor.Web.Http;

/// <summary>
/// Who is acting in this unit of work, for the audit trail of use cases that do not otherwise take
/// the caller (accounts, groups, settings). Set from the request's principal for the API and from
/// the circuit's authentication state for pages.
/// </summary>
public sealed class Actor
{
    public Guid? Id { get; set; }

    public static Guid? IdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static IApplicationBuilder UseActor(IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.RequestServices.GetRequiredService<Actor>().Id = IdOf(context.User);
        return next(context);
    });
}
