namespace Harbor.Web.Features.Pool;

/// <summary>
/// The pool's in-process change feed: whatever changed the public pool (a claim, a publication)
/// signals here after its transaction committed, and every open pool page re-reads the pool.
/// It carries no data, only "look again", so a missed or doubled signal costs one read; pages
/// also re-read on a timer, which is how another app instance's changes arrive.
/// </summary>
public sealed class PoolFeed
{
    private readonly Lock _gate = new();
    private Func<Task>[] _listeners = [];

    /// <summary>Listens until the returned handle is disposed (a page does so when it goes away).</summary>
    public IDisposable Subscribe(Func<Task> listener)
    {
        lock (_gate)
            _listeners = [.. _listeners, listener];
        return new Subscription(this, listener);
    }

    /// <summary>Tells every listener the pool changed. Call it after the commit, never inside the transaction.</summary>
    public void Changed()
    {
        // A slow or broken page must not hold up the claim that signalled: listeners run on their own.
        foreach (var listener in Volatile.Read(ref _listeners))
            _ = Task.Run(async () =>
            {
                try
                {
                    await listener();
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
                {
                    // The page (or its circuit) went away between the signal and the re-read.
                }
            });
    }

    public int Listeners => Volatile.Read(ref _listeners).Length;

    private void Unsubscribe(Func<Task> listener)
    {
        lock (_gate)
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
    }

    private sealed class Subscription(PoolFeed feed, Func<Task> listener) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(listener);
    }
}
