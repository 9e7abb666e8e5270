using System.Collections.Concurrent;
using Harbor.Domain.Customers;

namespace Harbor.Web.Features.Registry;

/// <summary>The filter a registry total counts: the same filter always has the same total.</summary>
public readonly record struct RegistryFilter(
    Guid? GroupId, Guid? SalespersonId, CustomerStatus? Status, DateOnly? DueFrom, DateOnly? DueTo, string? Search);

/// <summary>
/// Recent large totals of the master registry, per filter, in this app instance. Counting 100,000
/// customers reads every one of them (10–25 ms on PostgreSQL, a few on SQLite), more than the page
/// itself, and a clerk leafing through the registry asks for the same total page after page. So a
/// total of <see cref="KeptFrom"/> or more is kept for <see cref="Lifetime"/> of real time: it may
/// then be that many seconds old (off by the customers registered, merged or moved meanwhile),
/// which nobody can tell from "1–50 of 100,000". A smaller total costs little to count and is
/// always counted afresh, so a short list is exact at once after a change.
/// </summary>
public sealed class RegistryTotals
{
    public const int KeptFrom = 1_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    // A filter is a handful of values, but searches are free text: bound the memory, not the hits.
    private const int MaxFilters = 1_000;

    private readonly ConcurrentDictionary<RegistryFilter, (int Total, long Until)> _totals = new();

    public async Task<int> CountAsync(RegistryFilter filter, Func<CancellationToken, Task<int>> count, CancellationToken ct)
    {
        // Real time, not the app's TimeProvider: under the simulation clock (or a test's fake one)
        // business time may stand still or jump by days, and the bound is about seconds of staleness.
        var now = Environment.TickCount64;
        if (_totals.TryGetValue(filter, out var kept) && now < kept.Until)
            return kept.Total;

        var total = await count(ct);
        if (total >= KeptFrom)
        {
            if (_totals.Count >= MaxFilters)
                _totals.Clear();
            _totals[filter] = (total, now + (long)Lifetime.TotalMilliseconds);
        }
        else
        {
            _totals.TryRemove(filter, out _);
        }

        return total;
    }
}
