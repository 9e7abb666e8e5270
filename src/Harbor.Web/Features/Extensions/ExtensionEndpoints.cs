using System.Security.Claims;
using Harbor.Domain.Extensions;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Harbor.Domain.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Features.Extensions;

public static class ExtensionEndpoints
{
    public static void MapExtensionEndpoints(this IEndpointRouteBuilder app)
    {
        var extensions = app.MapGroup("/api/extensions").WithTags("Extensions").RequireAuthorization();
        extensions.MapPost("", async (ExtensionRequestBody body, ClaimsPrincipal user, RequestExtension useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), body, ct)).ToCreated(r => $"/api/extensions/{r.Id}"));
        extensions.MapGet("", async Task<Results<Ok<ExtensionList>, ProblemHttpResult>> (ClaimsPrincipal user, ListExtensions useCase, string? status, CancellationToken ct) =>
        {
            ExtensionStatus? only = null;
            if (status is not null)
            {
                if (!KebabEnum.TryParse<ExtensionStatus>(status, out var parsed))
                    return Problems.From(Refusal.ValidationFailed.Of("status", "pending, approved, rejected or too-late."));
                only = parsed;
            }

            return (await useCase.HandleAsync(user.ToViewer(), only, ct)).ToOk();
        });
        extensions.MapPost("/{id:guid}/approve", async (Guid id, [FromBody] DecisionBody? body, ClaimsPrincipal user, DecideExtension useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, approve: true, body, ct)).ToOk());
        extensions.MapPost("/{id:guid}/reject", async (Guid id, [FromBody] DecisionBody? body, ClaimsPrincipal user, DecideExtension useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, approve: false, body, ct)).ToOk());
    }
}
