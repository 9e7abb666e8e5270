using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using Harbor.Domain.Policy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Harbor.Web.Data;

/// <summary>
/// The embedded engine's single writer (ADR-003): every write transaction of this process runs, one at a time,
/// on one dedicated thread, so SQLite never stalls on busy_timeout between our own connections. A dedicated
/// thread rather than a semaphore: when hundreds of requests arrive at once (the 10:00 rush), a semaphore hands
/// the writer to the next waiter through the thread pool's queue, behind every request already queued, while no
/// one writes. Here the next write starts as soon as the last one commits. A use case's awaits that do yield
/// come back to this thread (<see cref="WriterContext"/>); its caller is resumed on the thread pool.
/// <para>
/// Group commit (ADR-015): writes queued one behind the other share one transaction on the writer's own
/// connection, each inside its own savepoint, and one COMMIT (one sync of the WAL) makes the whole group durable.
/// A group closes when the queue is empty, after <see cref="MaxGroupWrites"/> writes or after
/// <see cref="DefaultMaxGroupTime"/>, or before a write that must run alone (<see cref="RunAsync{T}"/>). No write's
/// caller hears its answer before the COMMIT: a refusal too may have read what an earlier write of the group
/// changed. If the COMMIT fails, every write of the group fails with it, and nothing of them is kept.
/// </para>
/// </summary>
public sealed class WriteGate : IDisposable
{
    /// <summary>The most writes one COMMIT makes durable.</summary>
    public const int MaxGroupWrites = 64;

    /// <summary>The longest a group holds SQLite's write lock before it commits (the sweep's batches keep to 300 ms).</summary>
    public static readonly TimeSpan DefaultMaxGroupTime = TimeSpan.FromMilliseconds(10);

    private readonly BlockingCollection<Queued> _writes = [];
    private readonly string? _connectionString;
    private readonly KeyValuePair<string, object?> _database;
    private readonly Func<DbContext>? _newConnectionOwner;
    private readonly TimeSpan _maxGroupTime;
    private readonly Thread _thread;
    private DbContext? _connectionOwner;
    private WriteGroup? _group;

    /// <summary>A gate whose writes each run alone (PostgreSQL, where the gate is not used, and tests of the gate).</summary>
    public WriteGate()
        : this(null, null)
    {
    }

    /// <param name="connectionString">The SQLite database whose writes are grouped.</param>
    /// <param name="newConnectionOwner">
    /// Makes a context on that database whose only job is to open and hold the writer's own connection, so that it
    /// is set up as EF sets up every connection (its functions, the memory map).
    /// </param>
    /// <param name="maxGroupTime">How long a group may grow (<see cref="DefaultMaxGroupTime"/>; tests hold it open).</param>
    public WriteGate(string? connectionString, Func<DbContext>? newConnectionOwner, TimeSpan? maxGroupTime = null)
    {
        _connectionString = connectionString;
        _maxGroupTime = maxGroupTime ?? DefaultMaxGroupTime;
        // The file a group's measurements are for (OpenTelemetry's name for it).
        _database = new("db.namespace", connectionString is null ? null : new SqliteConnectionStringBuilder(connectionString).DataSource);
        _newConnectionOwner = newConnectionOwner;
        _thread = new Thread(Run) { IsBackground = true, Name = "Harbor single writer" };
        _thread.Start();
    }

    /// <summary>Whether a write on the database at <paramref name="connectionString"/> joins the group (ADR-015).</summary>
    public bool Groups(string? connectionString) =>
        _newConnectionOwner is not null && connectionString is not null && connectionString == _connectionString;

    /// <summary>Runs <paramref name="write"/> alone on the writer thread, after the writes queued before it.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken ct) => Enqueue(grouped: false, _ => write(), ct);

    /// <summary>
    /// Runs <paramref name="write"/> on the writer thread inside the open group's transaction (see
    /// <see cref="Groups"/>); its answer is given once the group has committed.
    /// </summary>
    public Task<T> RunInGroupAsync<T>(Func<WriteGroup, Task<T>> write, CancellationToken ct)
    {
        if (_newConnectionOwner is null)
            throw new InvalidOperationException("This gate has no database to group writes on.");
        return Enqueue(grouped: true, group => write(group!), ct);
    }

    private Task<T> Enqueue<T>(bool grouped, Func<WriteGroup?, Task<T>> write, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Add(new Queued(grouped, async group =>
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                var value = await write(group);
                if (group is null)
                    done.SetResult(value);
                else
                    group.AfterCommit(failure =>
                    {
                        if (failure is null)
                            done.SetResult(value);
                        else
                            done.SetException(failure);
                    });
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, e => done.SetException(e)), ct);
        return done.Task;
    }

    private void Run()
    {
        var context = new WriterContext();
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            foreach (var write in _writes.GetConsumingEnumerable())
            {
                WriteGroup? group;
                try
                {
                    group = write.Grouped ? OpenGroup() : CommitGroup();
                }
                catch (Exception e)
                {
                    // The writer's connection did not open, or another process held the write lock past its
                    // timeout: this write fails as its own BEGIN would have; the next one tries afresh.
                    _connectionOwner?.Dispose();
                    _connectionOwner = null;
                    write.Fail(e);
                    continue;
                }

                var running = write.Run(group);
                // Until this write completes, run what its awaits post back; the next write waits its turn.
                while (!running.IsCompleted)
                    context.RunOne();
                group?.CheckStillOpen();
                if (group is not null && (group.Broken || group.Writes >= MaxGroupWrites || group.Age >= _maxGroupTime || _writes.Count == 0))
                    CommitGroup();
            }
        }
        finally
        {
            CommitGroup();
            _connectionOwner?.Dispose();
        }
    }

    /// <summary>The open group, or a new one (the write lock taken now: BEGIN IMMEDIATE).</summary>
    private WriteGroup OpenGroup()
    {
        if (_group is { } open)
            return open;
        if (_connectionOwner is null)
        {
            _connectionOwner = _newConnectionOwner!();
            _connectionOwner.Database.OpenConnection();
        }
        var connection = (SqliteConnection)_connectionOwner.Database.GetDbConnection();
        return _group = new WriteGroup(connection, connection.BeginTransaction(deferred: false));
    }

    /// <summary>Commits the open group, if any, and answers its writes; always returns null (no group is open).</summary>
    private WriteGroup? CommitGroup()
    {
        if (_group is not { } group)
            return null;
        _group = null;
        var failure = group.Commit();
        Writes.GroupWrites.Record(group.Writes, _database);
        Writes.GroupHeld.Record(group.Age.TotalMilliseconds, _database);
        if (failure is not null)
        {
            // The connection may be in any state after a failed COMMIT: the next group opens a new one.
            _connectionOwner?.Dispose();
            _connectionOwner = null;
        }
        return null;
    }

    public void Dispose()
    {
        _writes.CompleteAdding();
        // Let the last group commit and the writer's connection close before the host goes on shutting down.
        if (_thread != Thread.CurrentThread)
            _thread.Join(TimeSpan.FromSeconds(10));
    }

    private sealed record Queued(bool Grouped, Func<WriteGroup?, Task> Run, Action<Exception> Fail);

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

    /// <summary>Per SQLite group (ADR-015): how many writes one COMMIT made durable.</summary>
    internal static readonly Histogram<int> GroupWrites = Meter.CreateHistogram<int>("harbor.writes.group_writes");

    /// <summary>Per SQLite group: how long it held the write lock, from BEGIN IMMEDIATE through its COMMIT.</summary>
    internal static readonly Histogram<double> GroupHeld = Meter.CreateHistogram<double>("harbor.writes.group_held", "ms");

    /// <summary>
    /// Runs a use case as one write transaction and saves once. A refusal rolls back and changes
    /// nothing. A lost race (unique index, concurrency token, serialization failure) re-runs the
    /// use case from the start, where it meets the winner's state and refuses by name. On SQLite the
    /// write runs on the single writer, in a savepoint of the writer's group transaction (ADR-015).
    /// </summary>
    public static Task<Result<T>> WriteAsync<T>(
        this HarborDbContext db, WriteGate gate, Func<Task<Result<T>>> useCase, CancellationToken ct) =>
        WriteAsync(db, gate, useCase, alone: false, ct);

    /// <summary>
    /// A long write (the workbook import): the same, but on SQLite it never joins a group (ADR-015). The writes of a
    /// group hear their answers only at its COMMIT, so a claim queued just before a 100,000-row import would
    /// otherwise wait the import's seconds for an answer it already had.
    /// </summary>
    public static Task<Result<T>> WriteAloneAsync<T>(
        this HarborDbContext db, WriteGate gate, Func<Task<Result<T>>> useCase, CancellationToken ct) =>
        WriteAsync(db, gate, useCase, alone: true, ct);

    private static async Task<Result<T>> WriteAsync<T>(
        HarborDbContext db, WriteGate gate, Func<Task<Result<T>>> useCase, bool alone, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (done, result) = !db.SerialisesWrites ? await AttemptAsync(db, useCase, attempt, ct)
                : !alone && CanJoinGroup(db, gate) ? await gate.RunInGroupAsync(group => AttemptInGroupAsync(db, group, useCase, attempt, ct), ct)
                : await gate.RunAsync(() => AttemptAsync(db, useCase, attempt, ct), ct);
            if (done)
                return result;

            // Let the winner finish before trying again; jitter spreads the losers out.
            await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
        }
    }

    /// <summary>
    /// A use case whose context holds its connection open (the sweep sets that connection's pragmas) or is already
    /// in a transaction runs alone on its own connection; every other SQLite write joins the writer's group.
    /// </summary>
    private static bool CanJoinGroup(HarborDbContext db, WriteGate gate) =>
        gate.Groups(db.Database.GetConnectionString()) && db.Database.CurrentTransaction is null
        && db.Database.GetDbConnection().State == System.Data.ConnectionState.Closed;

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
    /// The same attempt inside the writer's group (ADR-015): the context borrows the writer's connection and the
    /// group's transaction, and the use case runs in a savepoint of its own, so that a refusal or a lost race undoes
    /// this write alone. The context gets its own connection back before its caller sees it again.
    /// </summary>
    private static async Task<(bool Done, Result<T> Result)> AttemptInGroupAsync<T>(
        HarborDbContext db, WriteGroup group, Func<Task<Result<T>>> useCase, int attempt, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString();
        // The context's own connection is closed (CanJoinGroup), but a pooled context can still count it as opened: a
        // request that ended with it open returns the context to the pool closed and the count kept. EF then refuses
        // to swap the connection; its reset (what the pool does to a context it hands out) zeroes the count.
        ((IResettableService)db.GetService<IRelationalConnection>()).ResetState();
        db.Database.SetDbConnection(group.Connection, contextOwnsConnection: false);
        // The write's own savepoint already covers its SaveChanges: EF's would be two more statements.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.Database.UseTransactionAsync(group.Transaction, ct);
            group.Begin();
            try
            {
                var result = await useCase();
                if (!result.Succeeded)
                {
                    db.ChangeTracker.Clear();
                    group.Undo();
                    return (true, result);
                }

                await db.SaveChangesAsync(ct);
                group.Keep();
                return (true, result);
            }
            catch (Exception e)
            {
                try
                {
                    group.Undo();
                }
                catch (Exception)
                {
                    // The group is broken (WriteGroup.Broken) and fails as a whole; this write reports its own cause.
                }
                if (attempt < MaxAttempts && db.IsLostRace(e))
                {
                    LostRaces.Add(1);
                    db.ChangeTracker.Clear();
                    return (false, default);
                }
                throw;
            }
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, CancellationToken.None);
            // UseTransaction counted an open of the borrowed connection: if letting go of the transaction did not
            // even the count, this does (it closes nothing, as EF did not open that connection).
            await db.Database.CloseConnectionAsync();
            db.Database.AutoSavepointsEnabled = true;
            db.Database.SetDbConnection(null, contextOwnsConnection: true);
            db.Database.SetConnectionString(connectionString);
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
