namespace Harbor.Web.Features.Workbook;

/// <summary>
/// Bounds the garbage a workbook import leaves between collections: after every
/// <see cref="WorkbookOptions.ImportCollectEveryMegabytes"/> it allocates, a young-generation
/// collection. The import makes about 300 MB of short-lived garbage per 100,000 rows (rows made from
/// the upload, their validation, the aggregates the bulk write reads); the GC lets its young
/// generations grow to its own budget first, about 50 MB between collections on the 2-core host
/// under Server GC, and that budget, not what is alive, was most of the import's rise in resident
/// memory (docs/benchmarks.md, "Session 8, import6"). A collection of the young generations while
/// they hold a few thousand rows' worth costs a few milliseconds. Asked every 500 rows while the
/// upload is read and the rows decided, and every 500 lines while the report is kept and answered.
/// Each read, import and report has its own; two readers of one report racing only move its next collection.
/// </summary>
internal sealed class ImportMemory(int everyMegabytes)
{
    private readonly long _every = everyMegabytes * 1024L * 1024L;
    private long _since = GC.GetTotalAllocatedBytes();

    /// <summary>
    /// Between reading the upload and deciding its rows: one full collection that also gives the GC's
    /// free memory back to the system. Reading leaves the GC holding memory it has freed (about 40 MB of
    /// the upload's garbage at 100,000 rows), which the plan's bounded garbage would never need; about
    /// 30 ms once per import.
    /// </summary>
    public void Release()
    {
        if (_every <= 0)
            return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _since = GC.GetTotalAllocatedBytes();
    }

    /// <summary>Collects the young generations if the process allocated the bound since the last time.</summary>
    public void Bound()
    {
        if (_every <= 0)
            return;
        var now = GC.GetTotalAllocatedBytes();
        if (now - _since < _every)
            return;
        GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
        _since = GC.GetTotalAllocatedBytes();
    }
}
