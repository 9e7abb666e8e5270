using Harbor.Domain.Policy;
using Harbor.Web.Http;
using Harbor.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Admin;

public sealed record ClockRequest(DateTimeOffset? Now);

public sealed record ClockResponse(DateTimeOffset Now);

public static class AdminEndpoints
{
    /// <summary>Only when <c>Harbor:Clock:Adjustable</c> is true; otherwise these routes do not exist.</summary>
    public static void MapSimulationEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Simulation").RequireAuthorization(Policies.Admin);
        admin.MapGet("/clock", (AdjustableClock clock, CompanyCalendar calendar) => TypedResults.Ok(new ClockResponse(calendar.ToLocal(clock.GetUtcNow()))));
        admin.MapPut("/clock", Results<Ok<ClockResponse>, ProblemHttpResult> (ClockRequest request, AdjustableClock clock, CompanyCalendar calendar, ILoggerFactory logs) =>
        {
            if (request.Now is not { } target)
                return Problems.From(Refusal.ValidationFailed.Of("now", "Give the instant to move to, with its offset."));
            var moved = clock.MoveTo(target);
            if (!moved.Succeeded)
                return Problems.From(moved.Refusal);
            logs.CreateLogger("Harbor.Simulation").LogWarning("The simulation clock was moved to {Now}.", moved.Value);
            return TypedResults.Ok(new ClockResponse(calendar.ToLocal(moved.Value)));
        });
        admin.MapPost("/sweep", async (Sweep sweep, CancellationToken ct) => TypedResults.Ok(await sweep.RunAsync(ct)));
    }
}
