using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Features.Reviews;

public static class ReviewEndpoints
{
    public static void MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/api/reviews").WithTags("Reviews").RequireAuthorization();
        reviews.MapGet("", async (ClaimsPrincipal user, ReviewQueue useCase, CancellationToken ct) => (await useCase.ListAsync(user.ToViewer(), ct)).ToOk());
        reviews.MapPost("/{id:guid}/approve", async (Guid id, ClaimsPrincipal user, ReviewQueue useCase, CancellationToken ct) =>
            (await useCase.ApproveAsync(user.ToViewer(), id, ct)).ToOk());
        reviews.MapPost("/{id:guid}/reject", async (Guid id, [FromBody] RejectBody? body, ClaimsPrincipal user, ReviewQueue useCase, CancellationToken ct) =>
            (await useCase.RejectAsync(user.ToViewer(), id, body, ct)).ToOk());
    }
}
