using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Features.Pool;

public static class PoolEndpoints
{
    public static void MapPoolEndpoints(this IEndpointRouteBuilder app)
    {
        var pool = app.MapGroup("/api/pool").WithTags("Pool").RequireAuthorization();
        pool.MapGet("", ListAsync);
        pool.MapPost("/{customerId:guid}/claim", ClaimAsync);
    }

    private static async Task<Ok<PoolResponse>> ListAsync(ListPool useCase, string? search, int? page, int? pageSize, CancellationToken ct) =>
        TypedResults.Ok(await useCase.HandleAsync(search, page ?? 1, pageSize ?? 100, ct));

    private static async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> ClaimAsync(
        Guid customerId, [FromBody] ClaimRequest? request, ClaimsPrincipal user, ClaimFromPool useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), customerId, request, ct)).ToCreated(r => $"/api/customers/{r.CustomerId}");
}
