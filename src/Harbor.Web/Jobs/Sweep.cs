using Harbor.Domain.Access;
using Harbor.Domain.Customers;
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
/// instances at once, it reminds once, releases once and announces once (every step commits under
/// a concurrency token). After downtime it catches up in the order things fell due.
/// </summary>
public sealed class Sweep(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar, ILogger<Sweep> logger, Features.Pool.PoolFeed poolFeed)
{
    /// <summary>Small transactions keep claims flowing while a large publication is under way.</summary>
    public const int BatchSize = 500;

    private const int AnnouncedCustomers = 50;

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var reminded = await InBatchesAsync(RemindAsync, now, ct);
        var released = await InBatchesAsync(ExpireAsync, now, ct);
        var published = released + await InBatchesAsync(PublishReleasedAsync, now, ct);
        await AnnounceAsync(now, ct);
        if (published > 0) poolFeed.Changed(); // after every commit above: open pool pages show the new customers
        if (reminded + published > 0)
            logger.LogInformation("Sweep at {Now}: {Reminded} reminded, {Released} released, {Published} published.", now, reminded, released, published);
        return new SweepResult(reminded, released, published);
    }

    private async Task<int> InBatchesAsync(Func<DateTimeOffset, CancellationToken, Task<int>> step, DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var result = await db.WriteAsync<int>(gate, async () => await step(now, ct), ct);
            total += result.Value;
            if (result.Value < BatchSize)
                return total;
        }
    }

    private async Task<int> RemindAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = await db.Customers
            .Where(c => c.Status == CustomerStatus.Protected && c.RemindAt <= now && c.ReleaseAt > now
                && (c.RemindedFor == null || c.RemindedFor != c.DueOn))
            .OrderBy(c => c.RemindAt).ThenBy(c => c.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        var reminded = 0;
        foreach (var customer in due.Where(c => c.NeedsReminder(now)))
        {
            reminded++;
            customer.MarkReminded();
            db.Notifications.Add(Notify.Create(customer.OwnerId!.Value, NotificationKinds.DueTomorrow, new
            {
                customerId = customer.Id,
                customerName = customer.Name,
                dueOn = customer.DueOn,
                releaseAt = customer.ReleaseAt is { } at ? calendar.ToLocal(at) : (DateTimeOffset?)null,
            }, now));
        }

        await Outbox.EnqueueRemindersAsync(db, due.Where(c => c.RemindedFor != null && c.RemindedFor == c.DueOn)
            .Select(c => new ReminderLine(c.OwnerId!.Value, c.Id, c.Name, c.DueOn)), now, ct);
        return reminded;
    }

    private async Task<int> ExpireAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = await db.Customers
            .Where(c => c.Status == CustomerStatus.Protected && c.ReleaseAt <= now)
            .OrderBy(c => c.ReleaseAt).ThenBy(c => c.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        foreach (var customer in due)
            customer.ExpireIfDue(now);
        await OwnershipEnded.ApplyAsync(db, [.. due.Select(c => c.Id)], now, ct);
        await CountPublicationsAsync(due, ct);
        return due.Count;
    }

    private async Task<int> PublishReleasedAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = await db.Customers
            .Where(c => c.Status == CustomerStatus.PendingPublication && c.PublishAt <= now)
            .OrderBy(c => c.PublishAt).ThenBy(c => c.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        foreach (var customer in due)
            customer.PublishIfDue(now);
        await CountPublicationsAsync(due, ct);
        return due.Count;
    }

    private async Task CountPublicationsAsync(List<Customer> published, CancellationToken ct)
    {
        foreach (var instant in published.GroupBy(c => c.PublishedAt!.Value))
        {
            var publication = await db.Publications.FindAsync([instant.Key], ct);
            if (publication is null)
                db.Publications.Add(new Publication { At = instant.Key, Customers = instant.Count() });
            else
                publication.Customers += instant.Count();
        }
    }

    /// <summary>Rule 4: every salesperson is told what was published — one notification per publication.</summary>
    private async Task AnnounceAsync(DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.Publications.AsNoTracking()
            .Where(p => p.AnnouncedAt == null).OrderBy(p => p.At).Select(p => p.At).ToListAsync(ct);
        foreach (var at in pending)
        {
            await db.WriteAsync<bool>(gate, async () =>
            {
                // Whoever flips AnnouncedAt first tells everyone; a concurrent sweep finds nothing to flip.
                var claimed = await db.Publications.Where(p => p.At == at && p.AnnouncedAt == null)
                    .ExecuteUpdateAsync(p => p.SetProperty(x => x.AnnouncedAt, now), ct);
                if (claimed == 0)
                    return false;
                var inPool = db.Customers.AsNoTracking().Where(c => c.Status == CustomerStatus.InPool && c.PublishedAt == at);
                var count = await inPool.CountAsync(ct);
                var customers = await inPool.OrderBy(c => c.Name).Take(AnnouncedCustomers)
                    .Select(c => new { customerId = c.Id, name = c.Name }).ToListAsync(ct);
                var salespeople = await db.Users.AsNoTracking()
                    .Where(u => u.Role == Role.Salesperson && u.IsActive).Select(u => u.Id).ToListAsync(ct);
                var payload = new { publishedAt = calendar.ToLocal(at), count, customers };
                db.Notifications.AddRange(salespeople.Select(id => Notify.Create(id, NotificationKinds.Published, payload, now)));
                await Outbox.EnqueuePublicationAsync(db, at, calendar, now, ct);
                return true;
            }, ct);
        }
    }
}
