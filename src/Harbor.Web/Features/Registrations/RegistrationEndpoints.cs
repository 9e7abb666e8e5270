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

    private static async Task<Results<Created<RegistrationResponse>, ProblemHttpResult>> RegisterAsync(
        RegistrationRequest request, ClaimsPrincipal user, RegisterProspect useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), request, ct)).ToCreated(r => $"/api/customers/{r.CustomerId}");
}
