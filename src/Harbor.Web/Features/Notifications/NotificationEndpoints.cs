using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Notifications;

public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/me/notifications").WithTags("Notifications").RequireAuthorization();
        mine.MapGet("", async (ClaimsPrincipal user, MyNotifications useCase, bool? unread, CancellationToken ct) =>
            TypedResults.Ok(await useCase.ListAsync(user.ToViewer(), unread ?? false, ct)));
        mine.MapPost("/{id:guid}/read", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, ClaimsPrincipal user, MyNotifications useCase, CancellationToken ct) =>
            await useCase.MarkReadAsync(user.ToViewer(), id, ct) is { Succeeded: false } refused ? Problems.From(refused.Refusal) : TypedResults.NoContent());
        mine.MapPost("/read-all", async (ClaimsPrincipal user, MyNotifications useCase, CancellationToken ct) =>
        {
            await useCase.MarkReadAsync(user.ToViewer(), null, ct);
            return TypedResults.NoContent();
        });
    }
}
