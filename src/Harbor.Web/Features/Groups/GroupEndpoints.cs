using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Groups;

public static class GroupEndpoints
{
    public static void MapGroupEndpoints(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/api/groups").WithTags("Groups");
        groups.MapPost("", CreateAsync).RequireAuthorization(Policies.Admin);
        groups.MapGet("", ListAsync).RequireAuthorization();
        groups.MapPut("/{id:guid}", RenameAsync).RequireAuthorization(Policies.Admin);
    }

    private static async Task<Results<Created<GroupResponse>, ProblemHttpResult>> CreateAsync(
        CreateGroupRequest request, CreateGroup useCase, CancellationToken ct)
    {
        var result = await useCase.HandleAsync(request, ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/groups/{result.Value.Id}", result.Value)
            : Problems.From(result.Refusal);
    }

    private static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> RenameAsync(
        Guid id, CreateGroupRequest request, RenameGroup useCase, CancellationToken ct) =>
        (await useCase.HandleAsync(id, request, ct)).ToOk();

    private static async Task<Ok<GroupResponse[]>> ListAsync(ListGroups useCase, CancellationToken ct) =>
        TypedResults.Ok(await useCase.HandleAsync(ct));
}
