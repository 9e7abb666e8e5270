using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Registry;

/// <summary>
/// Who owns a registry row, by user id, in this app instance: the owner's name and group for the
/// PostgreSQL registry pages (<see cref="RegistryPostgresPages"/>). Joining every page's 50 rows to
/// the users and their groups took about 40 % of PostgreSQL's CPU for a cursor page (it builds a
/// hash of every user per execution); the staff is a few hundred accounts, read here in one query.
/// Exact in this instance: an owner the map does not know (a new account) reloads it, and the
/// admin's edits of an account or a group's name forget it (<see cref="Forget"/>) once committed.
/// Another instance's edits (or SQL run by hand) show within <see cref="Lifetime"/> of real time.
/// </summary>
public sealed class RegistryOwners
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private sealed record Snapshot(Dictionary<Guid, RegistryOwner> Owners, long Until, long Generation);

    private Snapshot? _snapshot;
    private long _generation;

    /// <summary>The owners of <paramref name="ownerIds"/> (and everyone else's), fresh enough.</summary>
    public async ValueTask<IReadOnlyDictionary<Guid, RegistryOwner>> OfAsync(HarborDbContext db, IEnumerable<Guid> ownerIds, CancellationToken ct)
    {
        // Real time, as RegistryTotals: the app's TimeProvider may stand still or jump by days.
        var now = Environment.TickCount64;
        // A map read before an edit was forgotten carries an older generation, so that a read racing
        // the edit cannot put the old name back for a whole lifetime.
        var generation = Interlocked.Read(ref _generation);
        if (Volatile.Read(ref _snapshot) is { } kept && kept.Generation == generation && now < kept.Until && ownerIds.All(kept.Owners.ContainsKey))
            return kept.Owners;

        var owners = await db.Users.AsNoTracking()
            .Select(u => new RegistryOwner(u.Id, u.DisplayName, u.GroupId, u.Group!.Name))
            .ToDictionaryAsync(o => o.Id, ct);
        Volatile.Write(ref _snapshot, new Snapshot(owners, now + (long)Lifetime.TotalMilliseconds, generation));
        return owners;
    }

    /// <summary>An account or a group was edited (and committed): the next page reads the owners again.</summary>
    public void Forget() => Interlocked.Increment(ref _generation);
}
