using System.Security.Claims;
using Harbor.Domain.Extensions;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Features.Extensions;

public static class ExtensionEndpoints
{
    public static void MapExtensionEndpoints(this IEndpointRouteBuilder app)
    {
        var extensions = app.MapGroup("/api/extensions").WithTags("Extensions").RequireAuthorization();
        extensions.MapPost("", async (ExtensionRequestBody body, ClaimsPrincipal user, RequestExtension useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), body, ct)).ToCreated(r => $"/api/extensions/{r.Id}"));
        extensions.MapGet("", async (ClaimsPrincipal user, ListExtensions useCase, ExtensionStatus? status, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), status, ct)).ToOk());
        extensions.MapPost("/{id:guid}/approve", async (Guid id, [FromBody] DecisionBody? body, ClaimsPrincipal user, DecideExtension useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, approve: true, body, ct)).ToOk());
        extensions.MapPost("/{id:guid}/reject", async (Guid id, [FromBody] DecisionBody? body, ClaimsPrincipal user, DecideExtension useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, approve: false, body, ct)).ToOk());
    }
}
