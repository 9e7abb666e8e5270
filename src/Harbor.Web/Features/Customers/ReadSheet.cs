using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Customers;

public sealed record SheetCustomer(Guid CustomerId, string Name, CustomerStatus Status, DateOnly? StartsOn, DateOnly? DueOn, int? DaysLeft, string? Stage);

public sealed record SheetResponse(Guid SalespersonId, int SlotsUsed, int SlotsTotal, IReadOnlyList<SheetCustomer> Customers);

/// <summary>A salesperson's follow-up sheet as the master has it (rule 5): slots used and due dates.</summary>
public sealed class ReadSheet(HarborDbContext db, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar)
{
    public async Task<Result<SheetResponse>> HandleAsync(Viewer viewer, Guid salespersonId, CancellationToken ct)
    {
        var salesperson = await db.Users.AsNoTracking()
            .Where(u => u.Id == salespersonId && u.Role == Role.Salesperson)
            .Select(u => new { u.Id, u.GroupId })
            .FirstOrDefaultAsync(ct);
        if (salesperson is null)
            return new Refusal.NotFound("salesperson");
        if (!CustomerAccess.CanReadSheetOf(viewer, salesperson.Id, salesperson.GroupId))
            return new Refusal.Forbidden("You may not read this salesperson's customers.");
        return await ReadAsync(salespersonId, ct);
    }

    /// <summary>
    /// A salesperson's own sheet (<c>GET /api/me/customers</c>): the sign-in has just vouched for
    /// the account, its role and that it is active, so it is not read again. The endpoint's most
    /// frequent caller, refreshing their list, saves a round trip.
    /// </summary>
    public async Task<Result<SheetResponse>> HandleMineAsync(Viewer viewer, CancellationToken ct)
    {
        if (viewer.Role != Role.Salesperson)
            return new Refusal.Forbidden("Only salespeople hold customers.");
        return await ReadAsync(viewer.Id, ct);
    }

    private async Task<SheetResponse> ReadAsync(Guid salespersonId, CancellationToken ct)
    {
        var today = calendar.DayOf(clock.GetUtcNow());
        List<SheetRow> rows;
        List<PendingRow> reviews;
        // One connection for both reads: on SQLite every open registers EF's functions on the
        // connection and every close removes them again, a tenth of this request's CPU.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            (rows, reviews) = db switch
            {
                SqliteHarborDbContext sqlite => await PerModel<Sheet<SqliteHarborDbContext>>.Of(sqlite).ReadAsync(sqlite, salespersonId, ct),
                PostgresHarborDbContext postgres => await PerModel<Sheet<PostgresHarborDbContext>>.Of(postgres).ReadAsync(postgres, salespersonId, ct),
                _ => throw new NotSupportedException($"No compiled sheet queries for {db.GetType().Name}."),
            };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var customers = reviews.Select(r => new SheetCustomer(r.Id, r.Name, CustomerStatus.PendingReview, null, null, null, null))
            .Concat(rows.Select(c => new SheetCustomer(
                c.Id, c.Name, c.Status, c.StartsOn, c.DueOn,
                c.Status.UsesSlot() && c.DueOn is { } due ? due.DayNumber - today.DayNumber : null,
                c.Stage))).ToList();
        // Rule 1: a registration under review holds its slot until the clerk decides.
        var used = rows.Count(c => c.Status.UsesSlot()) + reviews.Count;
        return new SheetResponse(salespersonId, used, policy.SlotLimit, customers);
    }

    private sealed record SheetRow(Guid Id, string Name, CustomerStatus Status, DateOnly? StartsOn, DateOnly? DueOn, string? Stage);

    private sealed record PendingRow(Guid Id, string Name);

    /// <summary>
    /// The sheet's two reads as compiled queries: a salesperson refreshing their list is the most
    /// frequent request there is, and compiling skips EF's per-call work (rebuilding the LINQ tree,
    /// extracting its parameters, hashing it to find the cached plan), a fifth of the request's
    /// CPU. A compiled query keeps the plan of the first model it meets, so there is one set per
    /// model (<see cref="PerModel{TQueries}"/>).
    /// </summary>
    private sealed class Sheet<TContext>
        where TContext : HarborDbContext
    {
        private readonly Func<TContext, Guid, IAsyncEnumerable<SheetRow>> Customers = EF.CompileAsyncQuery(
            (TContext db, Guid salespersonId) => db.Customers.AsNoTracking()
                .Where(c => c.OwnerId == salespersonId)
                .OrderBy(c => c.Status == CustomerStatus.Signed).ThenBy(c => c.DueOn).ThenBy(c => c.Name)
                .Select(c => new SheetRow(c.Id, c.Name, c.Status, c.StartsOn, c.DueOn, c.Stage)));

        private readonly Func<TContext, Guid, IAsyncEnumerable<PendingRow>> Reviews = EF.CompileAsyncQuery(
            (TContext db, Guid salespersonId) => db.Reviews.AsNoTracking()
                .Where(r => r.SalespersonId == salespersonId && r.Status == ReviewStatus.Pending)
                .OrderBy(r => r.RequestedAt).Select(r => new PendingRow(r.Id, r.Name)));

        public async Task<(List<SheetRow> Rows, List<PendingRow> Reviews)> ReadAsync(TContext db, Guid salespersonId, CancellationToken ct)
        {
            var rows = await Customers(db, salespersonId).ToListAsync(ct);
            var reviews = await Reviews(db, salespersonId).ToListAsync(ct);
            return (rows, reviews);
        }
    }
}
