using System.Data.Common;

namespace Harbor.Bench;

/// <summary>A claim that succeeded: the salesperson now protects the customer.</summary>
public readonly record struct Grant(Guid CustomerId, Guid SalespersonId);

public sealed record Violations(int DoubleOwners, int AboveLimit, int Errors)
{
    public int Total => DoubleOwners + AboveLimit + Errors;

    public static Violations operator +(Violations a, Violations b) =>
        new(a.DoubleOwners + b.DoubleOwners, a.AboveLimit + b.AboveLimit, a.Errors + b.Errors);

    public override string ToString() => $"{DoubleOwners} double owners, {AboveLimit} above the slot limit, {Errors} errors";
}

/// <summary>
/// The invariants of rules 1 and 3, checked after a rush: one owner per customer, nobody above the
/// slot limit, no error. The same checker judges Harbor, the floor and the unguarded control.
/// </summary>
public static class Invariants
{
    /// <summary>From what the claimers were told: a customer granted twice, or a salesperson granted more than the limit allows.</summary>
    public static Violations OfGrants(IReadOnlyCollection<Grant> grants, int slotLimit, IReadOnlyDictionary<Guid, int>? heldBefore = null, int errors = 0) => new(
        grants.GroupBy(g => g.CustomerId).Count(g => g.Count() > 1),
        grants.GroupBy(g => g.SalespersonId).Count(g => g.Count() + (heldBefore?.GetValueOrDefault(g.Key) ?? 0) > slotLimit),
        errors);

    /// <summary>From Harbor's tables: the slots in use per salesperson, and the claim history per customer.</summary>
    /// <param name="eventsAfter">Only history rows with a larger id count: the history is append-only, so a run is told apart by where it starts.</param>
    public static async Task<Violations> OfDatabaseAsync(DbConnection connection, int slotLimit, int grantsReported, long eventsAfter = 0)
    {
        await using var above = connection.Command(
            "SELECT count(*) FROM (SELECT \"OwnerId\" FROM \"Customers\" WHERE \"Status\" IN ('Protected', 'PendingReview') GROUP BY \"OwnerId\" HAVING count(*) > @limit) x")
            .With("@limit", slotLimit);
        await using var twice = connection.Command(
            "SELECT count(*) FROM (SELECT \"CustomerId\" FROM \"CustomerEvents\" WHERE \"Kind\" = 'Claimed' AND \"Id\" > @after GROUP BY \"CustomerId\" HAVING count(*) > 1) x")
            .With("@after", eventsAfter);
        await using var claimed = connection.Command("SELECT count(*) FROM \"CustomerEvents\" WHERE \"Kind\" = 'Claimed' AND \"Id\" > @after").With("@after", eventsAfter);
        var claimedEvents = await claimed.LongAsync();
        // A claim reported as won but not recorded (or the reverse) is as bad as a double owner.
        var mismatch = claimedEvents == grantsReported ? 0 : 1;
        return new Violations((int)await twice.LongAsync() + mismatch, (int)await above.LongAsync(), 0);
    }
}

public static class History
{
    /// <summary>The last history row's id: what a run writes comes after it.</summary>
    public static async Task<long> LastIdAsync(DbConnection connection)
    {
        await using var last = connection.Command("SELECT coalesce(max(\"Id\"), 0) FROM \"CustomerEvents\"");
        return await last.LongAsync();
    }
}
