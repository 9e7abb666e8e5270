using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Registrations;

public static class RegistrationEndpoints
{
    public static void MapRegistrationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/registrations", RegisterAsync).RequireAuthorization(Policies.Registrar).WithTags("Registrations");
    }

    private static async Task<Results<Created<RegistrationResponse>, Accepted<ReviewPending>, ProblemHttpResult>> RegisterAsync(
        RegistrationRequest request, ClaimsPrincipal user, RegisterProspect useCase, CancellationToken ct)
    {
        var result = await useCase.HandleAsync(user.ToViewer(), request, ct);
        if (!result.Succeeded)
            return Problems.From(result.Refusal);
        return result.Value.Registered is { } registered
            ? TypedResults.Created($"/api/customers/{registered.CustomerId}", registered)
            : TypedResults.Accepted($"/api/reviews/{result.Value.Pending!.RegistrationId}", result.Value.Pending);
    }
}
