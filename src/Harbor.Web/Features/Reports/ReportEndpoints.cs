using System.Globalization;
using System.Security.Claims;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Web.Features.Reports;

public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization();
        reports.MapGet("/daily", DailyAsync);
    }

    private static async Task<Results<Ok<DailyReportResponse>, ProblemHttpResult>> DailyAsync(
        string? date, ClaimsPrincipal user, DailyReport useCase, TimeProvider clock, CompanyCalendar calendar, CancellationToken ct)
    {
        DateOnly day;
        if (string.IsNullOrEmpty(date))
            day = calendar.DayOf(clock.GetUtcNow());
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            return Problems.From(Refusal.ValidationFailed.Of("date", "A date is YYYY-MM-DD."));
        return (await useCase.HandleAsync(user.ToViewer(), day, ct)).ToOk();
    }
}
