using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Reports;

public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}

/// <summary>Whose numbers a viewer may see: the clerk and directors everyone's, a manager their group's, a salesperson their own.</summary>
public static class ReportScope
{
    public const int MaxDays = 3660;

    public static async Task<Result<List<SalespersonRow>>> SalespeopleAsync(HarborDbContext db, Viewer viewer, Guid? groupId, Guid? salespersonId, CancellationToken ct)
    {
        if (viewer.Role == Role.Admin)
            return new Refusal.Forbidden("Reports are for sales, managers, directors and the clerk.");
        if (viewer.Role == Role.Manager && groupId is not null && groupId != viewer.GroupId)
            return new Refusal.Forbidden("A manager reports on their own group.");
        if (viewer.Role == Role.Salesperson && salespersonId is not null && salespersonId != viewer.Id)
            return new Refusal.Forbidden("A salesperson reports on themselves.");

        var people = db.Users.AsNoTracking().Where(u => u.Role == Role.Salesperson);
        people = viewer.Role switch
        {
            Role.Salesperson => people.Where(u => u.Id == viewer.Id),
            Role.Manager => people.Where(u => u.GroupId == viewer.GroupId),
            Role.Clerk or Role.Director or Role.Admin => people,
        };
        if (groupId is { } g)
            people = people.Where(u => u.GroupId == g);
        if (salespersonId is { } s)
            people = people.Where(u => u.Id == s);
        return await people.OrderBy(u => u.Group!.Name).ThenBy(u => u.DisplayName)
            .Select(u => new SalespersonRow(u.Id, u.DisplayName, u.GroupId, u.Group!.Name)).ToListAsync(ct);
    }

    public static Result<ReportPeriod> Period(DateOnly? from, DateOnly? to, DateOnly today)
    {
        var start = from ?? new DateOnly(today.Year, today.Month, 1);
        var end = to ?? start.AddMonths(1).AddDays(-1);
        if (end < start || end.DayNumber - start.DayNumber >= MaxDays)
            return Refusal.ValidationFailed.Of("to", "The period runs from 'from' to 'to', at most ten years.");
        return new ReportPeriod(start, end);
    }
}

public sealed record SalespersonRow(Guid Id, string DisplayName, Guid? GroupId, string? Group);
