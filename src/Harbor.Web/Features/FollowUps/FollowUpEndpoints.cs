using System.Security.Claims;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Orders;
using Harbor.Web.Http;

namespace Harbor.Web.Features.FollowUps;

public static class FollowUpEndpoints
{
    public static void MapSalesEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/customers/{id:guid}/followups", async (Guid id, FollowUpBody body, ClaimsPrincipal user, RecordFollowUp useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, body, ct)).ToCreated(f => $"/api/customers/{f.CustomerId}/history"))
            .RequireAuthorization().WithTags("Sales");
        app.MapPost("/api/orders", async (OrderBody body, ClaimsPrincipal user, SubmitOrder useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), body, ct)).ToCreated(o => $"/api/orders/{o.Id}"))
            .RequireAuthorization(Policies.Registrar).WithTags("Sales");
    }
}
