using System.Globalization;
using System.Security.Claims;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Customers;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Audit;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", SearchAsync).RequireAuthorization().WithTags("Audit");
        app.MapGet("/api/customers/{id:guid}/history", async (Guid id, ClaimsPrincipal user, ReadHistory useCase, CancellationToken ct) =>
            (await useCase.HandleAsync(user.ToViewer(), id, ct)).ToOk()).RequireAuthorization().WithTags("Customers");
    }

    private static async Task<Results<Ok<AuditResponse>, ProblemHttpResult>> SearchAsync(
        ClaimsPrincipal user, SearchAudit useCase, Guid? actorId, string? action, Guid? customerId, string? from, string? to, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromDay = ParseDay(from, "from", errors);
        var toDay = ParseDay(to, "to", errors);
        if (errors.Count > 0)
            return Problems.From(new Refusal.ValidationFailed(errors));
        return (await useCase.HandleAsync(user.ToViewer(), new AuditQuery(actorId, action, customerId, fromDay, toDay, limit ?? 100), ct)).ToOk();
    }

    private static DateOnly? ParseDay(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors[field] = ["A date is YYYY-MM-DD."];
        return null;
    }
}
