using System.Diagnostics;
using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Jobs;

public sealed record SweepResult(int Reminded, int Released, int Published);

/// <summary>
/// What happens as time passes (rules 2 and 4), worked out from stored state only: the 09:00
/// reminder, the 10:00 release of due protections, the publication of voluntary releases, and the
/// announcement of each publication to every salesperson. Idempotent: run twice, or on two
/// instances at once, it reminds once, releases once and announces once. After downtime it catches
/// up in the order things fell due.
/// </summary>
/// <remarks>
/// Set-based (ADR-010): each batch is one short transaction of a few statements — pick the batch,
/// lock it (PostgreSQL; SQLite's single writer already holds the database), append its history
/// with INSERT … SELECT, change it with one UPDATE — instead of loading every customer into EF.
/// The statements restate three rules of <see cref="Customer"/> in SQL; each place says which, and
/// the sweep tests hold them to the domain's boundaries (09:00 and 10:00 to the minute, signed
/// customers untouched, a reminder once per due date).
/// </remarks>
public sealed class Sweep(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar, ILogger<Sweep> logger, Features.Pool.PoolFeed poolFeed)
{
    /// <summary>
    /// Customers in a step's first transaction. The cost of a batch is per row (a release rewrites
    /// the row, its indexes and two history rows), and per row it varies tenfold with the
    /// machine's load: a fixed 1,000 held the write lock 0.4–1 s on a loaded machine, a claim's
    /// wait, while small batches on a quiet one pay their per-statement cost many times over. So
    /// the next batches are sized to <see cref="BatchTarget"/> from what the last one took
    /// (docs/benchmarks.md, the sweep).
    /// </summary>
    public const int BatchSize = 250;

    public const int MinBatchSize = 50;
    public const int MaxBatchSize = 2000;

    /// <summary>How long a batch should hold the write lock: well under the 300 ms a claim may wait (issue 11).</summary>
    public static readonly TimeSpan BatchTarget = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Salespeople told per transaction when a publication is announced: one insert of 10,000
    /// notifications (each with the same few-KB payload) held the lock for seconds.
    /// </summary>
    public const int AnnouncementBatchSize = 500;

    private const int AnnouncedCustomers = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var checkpoints = await SweepSql.CheckpointOutsideTheLockAsync(db, ct);
        var reminded = await InBatchesAsync(NeedReminder(now).OrderBy(c => c.RemindAt), batch => RemindAsync(batch, now, ct), ct);
        var released = await ReleaseInBatchesAsync(now, ct);
        var published = released + await InBatchesAsync(DueForPublication(now).OrderBy(c => c.PublishAt), batch => PublishReleasedAsync(batch, now, ct), ct);
        await AnnounceAsync(now, ct);
        if (published > 0) poolFeed.Changed(); // after every commit above: open pool pages show the new customers
        if (reminded + published > 0)
            logger.LogInformation("Sweep at {Now}: {Reminded} reminded, {Released} released, {Published} published.", now, reminded, released, published);
        return new SweepResult(reminded, released, published);
    }

    /// <summary>
    /// Runs a step batch by batch (the reminders, the voluntary releases' publication; the release has its own
    /// loop, <see cref="ReleaseInBatchesAsync"/>): the next batch's ids in due order, then one write transaction
    /// that locks them (PostgreSQL; SQLite's single writer already holds the database) and hands
    /// them to <paramref name="step"/>, which reads them again through the same condition (another
    /// transaction, a second sweep or a signature, may have changed a row since the pick) and
    /// changes what is still due. The pick is a plain read before the transaction: at 10:00 on
    /// 1,000,000 customers the reminders' pick walks the 100,000 due rows (reminded yesterday, due
    /// now) to find none, 1.4 s that SQLite's writer used to hold the lock for. Only in due order:
    /// at 10:00 every row due shares one instant, and ordering them by id too made the database
    /// sort all of them again for every batch. The history is written in (instant, id) order.
    /// </summary>
    /// <remarks>
    /// Before the first batch, the step runs once on an id that matches nothing, outside the transaction: EF
    /// compiles a LINQ query the first time it runs, and the first batch's transaction, compiling the step's reads, was the sweep's longest on both engines (355 and 620 ms at load
    /// 15; docs/benchmarks.md, session 4). On SQLite each batch is followed by a checkpoint of the WAL, outside
    /// the lock (<see cref="SweepSql.CheckpointOutsideTheLockAsync"/>).
    /// </remarks>
    private async Task<int> InBatchesAsync(IQueryable<Customer> due, Func<List<Guid>, Task<int>> step, CancellationToken ct)
    {
        var total = 0;
        var size = BatchSize;
        while (true)
        {
            var picking = Stopwatch.GetTimestamp();
            var batch = await due.Take(size).Select(c => c.Id).ToListAsync(ct);
            var picked = Stopwatch.GetElapsedTime(picking);
            if (batch.Count == 0)
                return total;
            if (total == 0)
                await step(Nothing);

            var (rows, held) = await TimedWriteAsync(() => step(batch), size, picked, ct);
            total += rows;
            if (rows == 0)
                return total;
            size = NextBatchSize(size, rows, held);
        }
    }

    /// <summary>
    /// The release (rule 2, rule 4) batch by batch, each batch one transaction that picks, checks, releases,
    /// records and counts the next due protections itself (<see cref="ExpireAsync"/>): no pick before it, which
    /// was a statement, a round trip and, under load, a wait for the CPU per batch. Stops at a batch that was not
    /// full. On PostgreSQL the batches skip rows another transaction holds (a second sweep shares the work rather
    /// than queueing behind it), so a short batch there may only mean that someone held a row: then one more
    /// batch waits for such rows, and only a short waiting batch ends the step. Otherwise a customer held for a
    /// moment at 10:00 would be left to the next minute's sweep, after this publication was announced.
    /// </summary>
    /// <remarks>
    /// A plain read first, since most minutes nothing is due. Then the batch's statements run once with a size
    /// of 0 (they match nothing), and <see cref="OwnershipEnded"/> on an id that matches nothing, outside the
    /// transaction: EF compiles a query the first time it runs, and the first batch's transaction, compiling
    /// them, was the sweep's longest on both engines (docs/benchmarks.md, session 4).
    /// </remarks>
    private async Task<int> ReleaseInBatchesAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (!await DueForRelease(now).AnyAsync(ct))
            return 0;
        await ExpireAsync(0, skipLocked: false, now, ct);
        // On PostgreSQL the batch that skips held rows is a statement of its own; SQLite has only the one.
        if (!db.SerialisesWrites)
            await ExpireAsync(0, skipLocked: true, now, ct);
        await OwnershipEnded.ApplyAsync(db, Nothing, now, ct);
        var total = 0;
        var size = BatchSize;
        var skipLocked = !db.SerialisesWrites;
        while (true)
        {
            var skip = skipLocked;
            var (rows, held) = await TimedWriteAsync(() => ExpireAsync(size, skip, now, ct), size, TimeSpan.Zero, ct);
            total += rows;
            if (rows < size)
            {
                if (!skipLocked)
                    return total;
                skipLocked = false;
                continue;
            }

            skipLocked = !db.SerialisesWrites;
            size = NextBatchSize(size, rows, held);
        }
    }

    /// <summary>
    /// One batch's write transaction, and how long it held the lock: timed from inside the transaction (after
    /// the gate, through the commit), not the wait for it. On SQLite the WAL is checkpointed after it, outside
    /// the lock (<see cref="SweepSql.CheckpointOutsideTheLockAsync"/>). At Debug, each batch's times are logged
    /// (the bench's HARBOR_BENCH_LOG_SQL=1 turns them on): where a sweep's wall time goes.
    /// </summary>
    private async Task<(int Rows, TimeSpan Held)> TimedWriteAsync(Func<Task<int>> step, int size, TimeSpan picked, CancellationToken ct)
    {
        var queued = Stopwatch.GetTimestamp();
        var started = 0L;
        var stepped = 0L;
        var result = await db.WriteAsync<int>(gate, async () =>
        {
            started = Stopwatch.GetTimestamp();
            var rows = await step();
            stepped = Stopwatch.GetTimestamp();
            return rows;
        }, ct);
        var held = Stopwatch.GetElapsedTime(started);
        if (result.Value == 0)
            return (0, held);
        var checkpointing = Stopwatch.GetTimestamp();
        var checkpoint = await SweepSql.CheckpointAsync(db, logger, ct);
        if (logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("Sweep batch: {Rows} of {Size}; pick {Pick:0.0} ms, wait {Wait:0.0} ms, held {Held:0.0} ms (statements {Statements:0.0} ms), checkpoint {Checkpoint:0.0} ms ({Copied} of {WalPages} pages{Busy})",
                result.Value, size, picked.TotalMilliseconds, Stopwatch.GetElapsedTime(queued, started).TotalMilliseconds,
                held.TotalMilliseconds, Stopwatch.GetElapsedTime(started, stepped).TotalMilliseconds, Stopwatch.GetElapsedTime(checkpointing).TotalMilliseconds,
                checkpoint.Copied, checkpoint.WalPages, checkpoint.Busy ? ", busy" : "");
        return (result.Value, held);
    }

    /// <summary>
    /// The next batch's size from the last one's: as many rows as fit in <see cref="BatchTarget"/>
    /// at the last batch's cost per row, at most doubling or halving at once (one slow batch, a
    /// pause of the process, should not swing it), within [<see cref="MinBatchSize"/>, <see cref="MaxBatchSize"/>].
    /// A batch that was not full says nothing about a bigger one: the size stays.
    /// </summary>
    internal static int NextBatchSize(int size, int rows, TimeSpan held)
    {
        if (rows < size)
            return size;
        var fits = held <= TimeSpan.Zero ? size * 2 : (int)Math.Min(int.MaxValue, BatchTarget / held * rows);
        return Math.Clamp(fits, Math.Max(MinBatchSize, size / 2), Math.Min(MaxBatchSize, size * 2));
    }

    /// <summary>An id no customer has: the batch that compiles a step's reads without matching a row.</summary>
    private static readonly List<Guid> Nothing = [Guid.Empty];

    private sealed record Reminder(Guid CustomerId, string Name, Guid OwnerId, DateOnly? DueOn, DateTimeOffset? ReleaseAt);

    /// <summary>
    /// Rule 4's reminder. <see cref="Customer.NeedsReminder"/> in SQL: protected, the reminder
    /// time reached, the release not yet, and not yet reminded of this due date.
    /// </summary>
    private IQueryable<Customer> NeedReminder(DateTimeOffset now) => db.Customers.Where(c => c.Status == CustomerStatus.Protected
        && c.RemindAt <= now && c.ReleaseAt > now && (c.RemindedFor == null || c.RemindedFor != c.DueOn));

    private async Task<int> RemindAsync(List<Guid> batch, DateTimeOffset now, CancellationToken ct)
    {
        await SweepSql.LockCustomersAsync(db, batch, ct);
        var due = await NeedReminder(now).Where(c => batch.Contains(c.Id)).OrderBy(c => c.RemindAt).ThenBy(c => c.Id)
            .Select(c => new Reminder(c.Id, c.Name, c.OwnerId!.Value, c.DueOn, c.ReleaseAt)).ToListAsync(ct);
        if (due.Count == 0)
            return 0;
        var ids = due.Select(r => r.CustomerId).ToList();
        // Customer.MarkReminded: one reminder per due date; the version bump makes a concurrent
        // change of the same customer lose cleanly.
        await SweepSql.MarkRemindedAsync(db, ids, ct);
        await RemindersMadeAsync(due, now, ct);
        return due.Count;
    }

    /// <summary>The owners are told, in the batch's transaction: a reminder is made once, with its notification.</summary>
    private async Task RemindersMadeAsync(IReadOnlyList<Reminder> reminders, DateTimeOffset now, CancellationToken ct)
    {
        var payloads = reminders.Select(r => JsonSerializer.Serialize(new
        {
            customerId = r.CustomerId,
            customerName = r.Name,
            dueOn = r.DueOn,
            releaseAt = r.ReleaseAt is { } at ? calendar.ToLocal(at) : (DateTimeOffset?)null,
        }, Json)).ToList();
        await SweepSql.InsertNotificationsAsync(db, NotificationKinds.DueTomorrow, now,
            [.. reminders.Select(r => (Guid.CreateVersion7(now), r.OwnerId))], payloads, ct);
        // And by email (issue 10): one message per owner listing their customers, in the same transaction.
        await Outbox.EnqueueRemindersAsync(db, reminders.Select(r => new ReminderLine(r.OwnerId, r.CustomerId, r.Name, r.DueOn)), now, ct);
    }

    /// <summary>
    /// Rule 2 and rule 4's release. <see cref="Customer.ExpireIfDue"/> in SQL: protected (so never
    /// a signed customer) and the publication time of the due day reached.
    /// </summary>
    private IQueryable<Customer> DueForRelease(DateTimeOffset now) =>
        db.Customers.Where(c => c.Status == CustomerStatus.Protected && c.ReleaseAt <= now);

    /// <summary>
    /// One release batch, in its transaction: the next <paramref name="size"/> due protections in due order,
    /// released and published at their release time, both history events appended (the expiry names the owner
    /// it ends, ADR-005), counted in their publication; then <see cref="OwnershipEnded"/> for those with a pending
    /// extension or a live cooperation, the only ones it has anything to do for (its two reads per batch were a
    /// round trip each for nothing, almost always).
    /// </summary>
    private async Task<int> ExpireAsync(int size, bool skipLocked, DateTimeOffset now, CancellationToken ct)
    {
        List<SweepSql.Released> released;
        if (db.SerialisesWrites)
        {
            // SQLite's single writer holds the whole database: the pick is the check. The history is copied from
            // the rows before the update clears them.
            released = await DueForRelease(now).OrderBy(c => c.ReleaseAt).Take(size).Select(c => new SweepSql.Released
            {
                Id = c.Id,
                ReleaseAt = c.ReleaseAt!.Value,
                Attached = db.Extensions.Any(e => e.CustomerId == c.Id && e.Status == ExtensionStatus.Pending)
                    || db.Cooperations.Any(o => o.CustomerId == c.Id && (o.Status == CooperationStatus.Pending || o.Status == CooperationStatus.Approved)),
            }).ToListAsync(ct);
            if (released.Count == 0)
                return 0;
            var ids = released.ConvertAll(r => r.Id);
            await SweepSql.AppendHistoryAsync(db, ids, nameof(Customer.ReleaseAt), ct, Release);
            await SweepSql.ExpireAsync(db, ids, ct);
            await SweepSql.CountPublishedAsync(db, released.Select(r => r.ReleaseAt), ct);
        }
        else
        {
            // The same steps (pick and lock, release, history, count) as one statement (SweepSql.ReleaseDueAsync).
            released = await SweepSql.ReleaseDueAsync(db, size, skipLocked, now, ct, Release);
            if (released.Count == 0)
                return 0;
        }

        await OwnershipEnded.ApplyAsync(db, [.. released.Where(r => r.Attached).Select(r => r.Id)], now, ct);
        return released.Count;
    }

    /// <summary>A release's two events, in order: the expiry names the owner it ends, the publication does not.</summary>
    private static readonly (string Kind, bool WithOwner)[] Release =
        [(nameof(CustomerEventKind.Expired), WithOwner: true), (nameof(CustomerEventKind.Published), WithOwner: false)];

    /// <summary>
    /// RULES.md, voluntary release. <see cref="Customer.PublishIfDue"/> in SQL: pending
    /// publication and its publication time reached.
    /// </summary>
    private IQueryable<Customer> DueForPublication(DateTimeOffset now) =>
        db.Customers.Where(c => c.Status == CustomerStatus.PendingPublication && c.PublishAt <= now);

    private async Task<int> PublishReleasedAsync(List<Guid> batch, DateTimeOffset now, CancellationToken ct)
    {
        await SweepSql.LockCustomersAsync(db, batch, ct);
        var due = await DueForPublication(now).Where(c => batch.Contains(c.Id)).Select(c => new { c.Id, At = c.PublishAt!.Value }).ToListAsync(ct);
        if (due.Count == 0)
            return 0;
        var ids = due.Select(d => d.Id).ToList();
        await SweepSql.AppendHistoryAsync(db, ids, nameof(Customer.PublishAt), ct, (nameof(CustomerEventKind.Published), WithOwner: false));
        // Customer.PublishIfDue: in the pool, published at its publication time.
        await SweepSql.PublishAsync(db, ids, ct);
        await SweepSql.CountPublishedAsync(db, due.Select(d => d.At), ct);
        return due.Count;
    }

    /// <summary>
    /// Rule 4: every salesperson is told what was published — one notification per publication.
    /// The notifications go in batches of <see cref="AnnouncementBatchSize"/> salespeople, each
    /// its own short transaction, so claims keep flowing; a notification's id is derived from the
    /// publication and the salesperson, and a batch skips the ids already there, so two sweeps at
    /// once, or a sweep after a crash half-way, tell each salesperson once. The last transaction
    /// marks the publication announced and queues the bots' messages: whoever flips it first.
    /// </summary>
    private async Task AnnounceAsync(DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.Publications.AsNoTracking()
            .Where(p => p.AnnouncedAt == null).OrderBy(p => p.At).Select(p => p.At).ToListAsync(ct);
        foreach (var at in pending)
        {
            var payload = await AnnouncementAsync(at, ct);
            var salespeople = await db.Users.AsNoTracking()
                .Where(u => u.Role == Role.Salesperson && u.IsActive).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
            foreach (var chunk in salespeople.Chunk(AnnouncementBatchSize))
            {
                await db.WriteAsync<int>(gate, async () => await SweepSql.InsertNotificationsAsync(db, NotificationKinds.Published, now,
                    [.. chunk.Select(id => (SweepSql.AnnouncementId(at, id), id))], [payload], ct, skipExisting: true), ct);
                await SweepSql.CheckpointAsync(db, logger, ct);
            }

            await db.WriteAsync<bool>(gate, async () =>
            {
                // Whoever flips AnnouncedAt first queues the bots' messages; a concurrent sweep finds nothing to flip.
                var claimed = await db.Publications.Where(p => p.At == at && p.AnnouncedAt == null)
                    .ExecuteUpdateAsync(p => p.SetProperty(x => x.AnnouncedAt, now), ct);
                if (claimed == 0)
                    return false;
                await Outbox.EnqueuePublicationAsync(db, at, calendar, now, ct);
                return true;
            }, ct);
        }
    }

    /// <summary>The announcement of one publication: the same payload for every salesperson (how many, and the first few by name).</summary>
    private async Task<string> AnnouncementAsync(DateTimeOffset at, CancellationToken ct)
    {
        var inPool = db.Customers.AsNoTracking().Where(c => c.Status == CustomerStatus.InPool && c.PublishedAt == at);
        var count = await inPool.CountAsync(ct);
        var customers = await inPool.OrderBy(c => c.Name).Take(AnnouncedCustomers)
            .Select(c => new { customerId = c.Id, name = c.Name }).ToListAsync(ct);
        return JsonSerializer.Serialize(new { publishedAt = calendar.ToLocal(at), count, customers }, Json);
    }
}
