using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Registry;

public static class RegistryEndpoints
{
    public static void MapRegistryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/registry", SearchAsync).RequireAuthorization(Policies.Registry).WithTags("Registry");
    }

    private static async Task<Results<Ok<RegistryPage>, ProblemHttpResult>> SearchAsync(
        [AsParameters] RegistryQuery query, ClaimsPrincipal user, SearchRegistry useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), query, ct)).ToOk();
}
