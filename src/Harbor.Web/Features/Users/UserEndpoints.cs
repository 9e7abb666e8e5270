using System.Security.Claims;
using Harbor.Web.Data;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Users;

public static class UserEndpoints
{
    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users");
        users.MapPost("", CreateAsync).RequireAuthorization(Policies.Admin);
        users.MapGet("", ListAsync).RequireAuthorization(Policies.Staff);
        users.MapGet("/me", MeAsync).RequireAuthorization();
        users.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.Admin);
    }

    private static async Task<Results<Created<UserResponse>, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, CreateUser useCase, CancellationToken ct)
    {
        var result = await useCase.HandleAsync(request, ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/users/{result.Value.Id}", result.Value)
            : Problems.From(result.Refusal);
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateUserRequest request, UpdateUser useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(id, request, ct)).ToOk();

    private static async Task<Ok<UserResponse[]>> ListAsync(ListUsers useCase, CancellationToken ct) =>
        TypedResults.Ok(await useCase.HandleAsync(null, null, ct));

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> MeAsync(ClaimsPrincipal principal, HarborDbContext db, CancellationToken ct)
    {
        var id = principal.ToViewer().Id;
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new UserResponse(u.Id, u.Username, u.DisplayName, u.Role, u.GroupId, u.Group!.Name, u.Email, u.IsActive))
            .FirstOrDefaultAsync(ct);
        return me is null ? Problems.From(new Domain.Policy.Refusal.NotFound("user")) : TypedResults.Ok(me);
    }
}
