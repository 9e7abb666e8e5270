using Harbor.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Data;

/// <summary>
/// The embedded engine's single writer: one write transaction at a time in this process, so
/// SQLite never stalls on busy_timeout between our own connections (ADR-003).
/// </summary>
public sealed class WriteGate : IDisposable
{
    internal SemaphoreSlim Lock { get; } = new(1, 1);

    public void Dispose() => Lock.Dispose();
}

public static class Writes
{
    private const int MaxAttempts = 10;

    /// <summary>
    /// Runs a use case as one write transaction and saves once. A refusal rolls back and changes
    /// nothing. A lost race (unique index, concurrency token, serialization failure) re-runs the
    /// use case from the start, where it meets the winner's state and refuses by name.
    /// </summary>
    public static async Task<Result<T>> WriteAsync<T>(
        this HarborDbContext db, WriteGate gate, Func<Task<Result<T>>> useCase, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var gated = db.SerialisesWrites;
            if (gated)
                await gate.Lock.WaitAsync(ct);
            try
            {
                // On SQLite this is BEGIN IMMEDIATE: the write lock is taken before the first read.
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await useCase();
                if (!result.Succeeded)
                {
                    db.ChangeTracker.Clear();
                    return result;
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < MaxAttempts && db.IsLostRace(e))
            {
                db.ChangeTracker.Clear();
            }
            finally
            {
                if (gated)
                    gate.Lock.Release();
            }

            // Let the winner finish before trying again; jitter spreads the losers out.
            await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
        }
    }

    /// <summary>
    /// Serialises the writers of one name, phone or credit code across the two tables that reserve
    /// them (customers and pending reviews), which no single unique index can cover. SQLite's
    /// single writer already does; PostgreSQL takes transaction-scoped advisory locks, in a fixed
    /// order so that two writers cannot deadlock.
    /// </summary>
    public static async Task LockKeysAsync(this HarborDbContext db, IEnumerable<string?> keys, CancellationToken ct)
    {
        if (db.SerialisesWrites)
            return;
        foreach (var key in keys.OfType<string>().Distinct().Order(StringComparer.Ordinal))
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);
    }

    /// <summary>
    /// Holds the salesperson's row until the transaction ends, so that their slot-changing
    /// requests queue instead of racing. SQLite's single writer already gives that.
    /// </summary>
    public static async Task LockSalespersonAsync(this HarborDbContext db, Guid salespersonId, CancellationToken ct)
    {
        if (db.SerialisesWrites)
            return;
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Users\" WHERE \"Id\" = {salespersonId} FOR UPDATE", ct);
    }
}
