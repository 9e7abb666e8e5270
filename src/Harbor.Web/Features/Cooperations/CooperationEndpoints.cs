using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Extensions;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Features.Cooperations;

public static class CooperationEndpoints
{
    public static void MapCooperationEndpoints(this IEndpointRouteBuilder app)
    {
        var cooperations = app.MapGroup("/api/cooperations").WithTags("Cooperations").RequireAuthorization();
        cooperations.MapGet("", async (ClaimsPrincipal user, CooperationRegister useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), ct)).ToOk());
        cooperations.MapPost("", async (ProposeBody body, ClaimsPrincipal user, Cooperate useCase, CancellationToken ct) =>
            (await useCase.ProposeAsync(user.ToViewer(), body, ct)).ToCreated(c => $"/api/cooperations/{c.Id}"));
        cooperations.MapPost("/{id:guid}/approve", async (Guid id, [FromBody] DecisionBody? body, ClaimsPrincipal user, Cooperate useCase, CancellationToken ct) =>
            (await useCase.DecideAsync(user.ToViewer(), id, approve: true, body?.Comment, ct)).ToOk());
        cooperations.MapPost("/{id:guid}/reject", async (Guid id, [FromBody] DecisionBody? body, ClaimsPrincipal user, Cooperate useCase, CancellationToken ct) =>
            (await useCase.DecideAsync(user.ToViewer(), id, approve: false, body?.Comment, ct)).ToOk());
        cooperations.MapPost("/{id:guid}/end", async (Guid id, ClaimsPrincipal user, Cooperate useCase, CancellationToken ct) =>
            (await useCase.EndAsync(user.ToViewer(), id, ct)).ToOk());
    }
}
