using Harbor.Web.Data;

namespace Harbor.Web.Tests.Foundation;

/// <summary>ADR-003: SQLite's single writer runs one write at a time, even when a write's awaits really yield (groups: ADR-015, WriteGroupTests).</summary>
public sealed class WriteGateTests
{
    [Fact]
    public async Task RunAsync_WritesThatYield_RunOneAtATimeInOrderAndAllComplete()
    {
        using var gate = new WriteGate();
        var inFlight = 0;
        var most = 0;
        var order = new List<int>();
        var writes = Enumerable.Range(0, 64).Select(i => Task.Run(() => gate.RunAsync(async () =>
        {
            most = Math.Max(most, Interlocked.Increment(ref inFlight));
            order.Add(i);
            await Task.Yield();
            await Task.Delay(1);
            Interlocked.Decrement(ref inFlight);
            return i;
        }, CancellationToken.None))).ToList();

        var results = await Task.WhenAll(writes);

        Assert.Equal(1, most);
        Assert.Equal(Enumerable.Range(0, 64), results.Order());
        Assert.Equal(64, order.Count);
    }

    [Fact]
    public async Task RunAsync_AWriteThatThrows_FailsItsCallerOnlyAndTheWriterGoesOn()
    {
        using var gate = new WriteGate();

        var failed = gate.RunAsync<int>(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("refused");
        }, CancellationToken.None);
        var next = gate.RunAsync(() => Task.FromResult(42), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal(42, await next);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeItsTurn_IsCancelledAndNeverRuns()
    {
        using var gate = new WriteGate();
        var ran = false;
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.RunAsync(() =>
        {
            ran = true;
            return Task.FromResult(1);
        }, cancel.Token));

        Assert.False(ran);
    }

    [Fact]
    public async Task RunInGroupAsync_TheWritersConnectionFailsToOpen_FailsThatWriteOnlyAndTheWriterGoesOn()
    {
        using var gate = new WriteGate("Data Source=unused.db", () => throw new InvalidOperationException("no database"));

        var failed = gate.RunInGroupAsync(_ => Task.FromResult(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("no database", error.Message);
        Assert.Equal(42, await gate.RunAsync(() => Task.FromResult(42), CancellationToken.None));
    }
}
