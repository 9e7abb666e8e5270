using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Users;
using Harbor.Web.Http;

namespace Harbor.Web.Features.Handover;

public static class HandoverEndpoints
{
    public static void MapHandoverEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/users/{id:guid}/deactivate", async (Guid id, ClaimsPrincipal user, DeactivateUser useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, ct)).ToOk()).RequireAuthorization(Policies.Admin).WithTags("Users");

        var handover = app.MapGroup("/api/handover").WithTags("Hand-over").RequireAuthorization();
        handover.MapGet("", async (ClaimsPrincipal user, HandOver useCase, CancellationToken ct) =>
            (await useCase.ListAsync(user.ToViewer(), ct)).ToOk());
        handover.MapPost("/{customerId:guid}/reassign", async (Guid customerId, ReassignRequest request, ClaimsPrincipal user, HandOver useCase, CancellationToken ct) =>
            (await useCase.ReassignAsync(user.ToViewer(), customerId, request, ct)).ToOk());
        handover.MapPost("/{customerId:guid}/release", async (Guid customerId, ClaimsPrincipal user, HandOver useCase, CancellationToken ct) =>
            (await useCase.ReleaseAsync(user.ToViewer(), customerId, ct)).ToOk());
    }
}
