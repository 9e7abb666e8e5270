using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Harbor.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Data;

/// <summary>
/// The embedded engine's single writer (ADR-003): every write transaction of this process runs, one at a time,
/// on one dedicated thread, so SQLite never stalls on busy_timeout between our own connections. A dedicated
/// thread rather than a semaphore: when hundreds of requests arrive at once (the 10:00 rush), a semaphore hands
/// the writer to the next waiter through the thread pool's queue, behind every request already queued, while no
/// one writes. Here the next write starts as soon as the last one commits. A use case's awaits that do yield
/// come back to this thread (<see cref="WriterContext"/>); its caller is resumed on the thread pool.
/// </summary>
public sealed class WriteGate : IDisposable
{
    private readonly BlockingCollection<Func<Task>> _writes = [];
    private readonly Thread _thread;

    public WriteGate()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Harbor single writer" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="write"/> on the writer thread, after the writes queued before it.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Add(async () =>
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                done.SetResult(await write());
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, ct);
        return done.Task;
    }

    private void Run()
    {
        var context = new WriterContext();
        SynchronizationContext.SetSynchronizationContext(context);
        foreach (var write in _writes.GetConsumingEnumerable())
        {
            var running = write();
            // Until this write completes, run what its awaits post back; the next write waits its turn.
            while (!running.IsCompleted)
                context.RunOne();
        }
    }

    public void Dispose() => _writes.CompleteAdding();

    /// <summary>Brings a write's continuations back to the writer thread, which runs them in order.</summary>
    private sealed class WriterContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _posted = [];

        public override void Post(SendOrPostCallback d, object? state) => _posted.Add((d, state));

        public void RunOne()
        {
            var (callback, state) = _posted.Take();
            callback(state);
        }
    }
}

public static class Writes
{
    private const int MaxAttempts = 10;

    /// <summary>Harbor's write meters: <c>harbor.writes.lost_races</c> counts use cases re-run after a lost race.</summary>
    public const string MeterName = "Harbor.Writes";

    private static readonly Meter Meter = new(MeterName);

    // How often the guards are hit rather than the locks queueing the writers (docs/benchmarks.md, the rush).
    private static readonly Counter<long> LostRaces = Meter.CreateCounter<long>("harbor.writes.lost_races");

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
            var (done, result) = db.SerialisesWrites
                ? await gate.RunAsync(() => AttemptAsync(db, useCase, attempt, ct), ct)
                : await AttemptAsync(db, useCase, attempt, ct);
            if (done)
                return result;

            // Let the winner finish before trying again; jitter spreads the losers out.
            await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
        }
    }

    private static async Task<(bool Done, Result<T> Result)> AttemptAsync<T>(
        HarborDbContext db, Func<Task<Result<T>>> useCase, int attempt, CancellationToken ct)
    {
        try
        {
            // On SQLite this is BEGIN IMMEDIATE: the write lock is taken before the first read.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await useCase();
            if (!result.Succeeded)
            {
                db.ChangeTracker.Clear();
                return (true, result);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (true, result);
        }
        catch (Exception e) when (attempt < MaxAttempts && db.IsLostRace(e))
        {
            LostRaces.Add(1);
            db.ChangeTracker.Clear();
            return (false, default);
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
    /// Holds the customer's row until the transaction ends, so that the writers of one customer queue: at the
    /// 10:00 rush, the claimers of one customer wait for the winner's commit, then read its state and refuse by
    /// name, instead of each reading the customer as still in the pool, waiting on the winner's row lock in its
    /// UPDATE, losing on the version and being re-run. SQLite's single writer already gives that.
    /// </summary>
    public static async Task LockCustomerAsync(this HarborDbContext db, Guid customerId, CancellationToken ct)
    {
        if (db.SerialisesWrites)
            return;
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Customers\" WHERE \"Id\" = {customerId} FOR UPDATE", ct);
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
