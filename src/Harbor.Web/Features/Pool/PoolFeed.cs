namespace Harbor.Web.Features.Pool;

/// <summary>
/// The pool's in-process change feed: whatever changed the public pool signals here after its
/// transaction committed, and every open pool page follows. A claim names the customer that left
/// the pool, so a page drops that card without asking the database (at the 10:00 rush hundreds of
/// claims meet hundreds of open pages); a publication says only "look again". A missed or doubled
/// signal costs one read at most; pages also re-read on a timer, which is how another app
/// instance's changes arrive.
/// </summary>
public sealed class PoolFeed
{
    private readonly Lock _gate = new();
    private Func<Guid?, Task>[] _listeners = [];

    /// <summary>
    /// Listens until the returned handle is disposed (a page does so when it goes away). The
    /// listener gets the customer that left the pool, or null when it should read the pool again.
    /// </summary>
    public IDisposable Subscribe(Func<Guid?, Task> listener)
    {
        lock (_gate)
            _listeners = [.. _listeners, listener];
        return new Subscription(this, listener);
    }

    /// <summary>Customers were published (or the pool changed otherwise): pages read it again. Call after the commit.</summary>
    public void Changed() => Tell(null);

    /// <summary>A customer was claimed and left the pool. Call after the commit.</summary>
    public void Claimed(Guid customerId) => Tell(customerId);

    public int Listeners => Volatile.Read(ref _listeners).Length;

    private void Tell(Guid? customerId)
    {
        // A slow or broken page must not hold up the claim that signalled: listeners run on their own.
        foreach (var listener in Volatile.Read(ref _listeners))
            _ = Task.Run(async () =>
            {
                try
                {
                    await listener(customerId);
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
                {
                    // The page (or its circuit) went away between the signal and the re-read.
                }
            });
    }

    private void Unsubscribe(Func<Guid?, Task> listener)
    {
        lock (_gate)
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
    }

    private sealed class Subscription(PoolFeed feed, Func<Guid?, Task> listener) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(listener);
    }
}
