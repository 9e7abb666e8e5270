using Harbor.Web.Data;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Groups;

public static class GroupEndpoints
{
    public static void MapGroupEndpoints(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/api/groups").WithTags("Groups");
        groups.MapPost("", CreateAsync).RequireAuthorization(Policies.Admin);
        groups.MapGet("", ListAsync).RequireAuthorization();
    }

    private static async Task<Results<Created<GroupResponse>, ProblemHttpResult>> CreateAsync(
        CreateGroupRequest request, CreateGroup useCase, CancellationToken ct)
    {
        var result = await useCase.HandleAsync(request, ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/groups/{result.Value.Id}", result.Value)
            : Problems.From(result.Refusal);
    }

    private static async Task<Ok<GroupResponse[]>> ListAsync(HarborDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new GroupResponse(g.Id, g.Name)).ToArrayAsync(ct));
}
