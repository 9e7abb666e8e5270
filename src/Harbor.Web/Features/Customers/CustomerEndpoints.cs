using System.Security.Claims;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Harbor.Web.Features.Customers;

public static class CustomerEndpoints
{
    public static void MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Customers").RequireAuthorization();
        api.MapPost("/customers/check", CheckAsync).RequireRateLimiting(Hardening.CheckLimit);
        api.MapGet("/customers/{id:guid}", ReadAsync);
        api.MapPost("/customers/{id:guid}/release", ReleaseAsync).RequireAuthorization(Policies.Registrar);
        api.MapPost("/customers/{id:guid}/merge", MergeAsync);
        api.MapGet("/me/customers", MySheetAsync);
        api.MapGet("/salespeople/{id:guid}/customers", SheetAsync);
    }

    private static async Task<Results<Ok<CheckResponse>, ProblemHttpResult>> CheckAsync(
        CheckRequest request, CheckConflicts useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(request, ct)).ToOk();

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> ReadAsync(
        Guid id, ClaimsPrincipal user, ReadCustomer useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), id, ct)).ToOk();

    private static async Task<Results<Ok<ReleaseResponse>, ProblemHttpResult>> ReleaseAsync(
        Guid id, [FromBody] ReleaseRequest? request, ClaimsPrincipal user, ReleaseCustomer useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), id, request, ct)).ToOk();

    private static async Task<Results<Ok<MergeResponse>, ProblemHttpResult>> MergeAsync(
        Guid id, [FromBody] MergeRequest? request, ClaimsPrincipal user, MergeCustomers useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), id, request, ct)).ToOk();

    private static async Task<Results<Ok<SheetResponse>, ProblemHttpResult>> MySheetAsync(
        ClaimsPrincipal user, ReadSheet useCase, CancellationToken ct) =>
        (await useCase.HandleMineAsync(user.ToViewer(), ct)).ToOk();

    private static async Task<Results<Ok<SheetResponse>, ProblemHttpResult>> SheetAsync(
        Guid id, ClaimsPrincipal user, ReadSheet useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(user.ToViewer(), id, ct)).ToOk();
}
