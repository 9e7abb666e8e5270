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
        reports.MapGet("/funnel", FunnelAsync);
        reports.MapGet("/performance", PerformanceAsync);
    }

    private static async Task<Results<Ok<FunnelResponse>, ProblemHttpResult>> FunnelAsync(string? from, string? to, Guid? groupId, Guid? salespersonId,
        ClaimsPrincipal user, FunnelReport useCase, TimeProvider clock, CompanyCalendar calendar, CancellationToken ct)
    {
        var period = Period(from, to, clock, calendar);
        return period.Succeeded
            ? (await useCase.HandleAsync(user.ToViewer(), period.Value, groupId, salespersonId, ct)).ToOk()
            : Problems.From(period.Refusal);
    }

    private static async Task<Results<Ok<PerformanceResponse>, ProblemHttpResult>> PerformanceAsync(string? from, string? to, Guid? groupId,
        ClaimsPrincipal user, PerformanceReport useCase, TimeProvider clock, CompanyCalendar calendar, CancellationToken ct)
    {
        var period = Period(from, to, clock, calendar);
        return period.Succeeded
            ? (await useCase.HandleAsync(user.ToViewer(), period.Value, groupId, ct)).ToOk()
            : Problems.From(period.Refusal);
    }

    /// <summary>A period of local days; by default the current month.</summary>
    private static Result<ReportPeriod> Period(string? from, string? to, TimeProvider clock, CompanyCalendar calendar)
    {
        DateOnly? Parse(string? text, string field, Dictionary<string, string[]> errors)
        {
            if (string.IsNullOrEmpty(text))
                return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return day;
            errors[field] = ["A date is YYYY-MM-DD."];
            return null;
        }

        var errors = new Dictionary<string, string[]>();
        var start = Parse(from, "from", errors);
        var end = Parse(to, "to", errors);
        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);
        return ReportScope.Period(start, end, calendar.DayOf(clock.GetUtcNow()));
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
