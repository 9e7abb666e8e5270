using System.Collections.Concurrent;
using Harbor.Domain.Access;

namespace Harbor.Web.Features.Auth;

/// <summary>The account a bearer token stood for when the database was last asked.</summary>
public sealed record TokenAccount(Guid Id, string Username, Role Role, Guid? GroupId, DateTimeOffset ExpiresAt);

/// <summary>
/// Recently verified bearer tokens, by hash, in this app instance (ADR-004, "the bound"). Reading
/// the token and its account from the database on every request was a third of an API read's
/// cost; a token is now read from the database at most once per <see cref="Lifetime"/> of real time.
/// <para>
/// The bound: on this instance, deactivating an account or changing its role or group
/// (<see cref="Forget"/>, called by those use cases after they commit) takes effect on the next
/// request; a change made on another instance, or directly in the database, takes effect within
/// <see cref="Lifetime"/>. A token past its expiry is refused at once, cached or not. An unknown
/// token is never cached: a guess always costs a database read.
/// </para>
/// </summary>
public sealed class BearerTokenCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    // Far more than the people of one company; past it the cache starts over rather than grow.
    private const int MaxTokens = 10_000;

    private readonly ConcurrentDictionary<string, (TokenAccount Account, long Until)> _tokens = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Taken before reading the database, handed back to <see cref="Keep"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public TokenAccount? Find(string hash, DateTimeOffset now)
    {
        // Real time for the cache's own bound: under a simulation or test clock business time
        // may stand still. The token's expiry runs on the session clock, as when read from the database.
        if (_tokens.TryGetValue(hash, out var kept) && Environment.TickCount64 < kept.Until && now < kept.Account.ExpiresAt)
            return kept.Account;
        return null;
    }

    /// <summary>
    /// Keeps what the database said, unless accounts changed since <paramref name="generation"/>
    /// was read: then the answer may predate the change and is used for this request only.
    /// </summary>
    public void Keep(string hash, TokenAccount account, long generation)
    {
        if (generation != Generation)
            return;
        if (_tokens.Count >= MaxTokens)
            _tokens.Clear();
        _tokens[hash] = (account, Environment.TickCount64 + (long)Lifetime.TotalMilliseconds);
        // Forget may have run between the check above and the write: then it may have cleared the
        // dictionary before this entry arrived, so take the entry out again.
        if (generation != Generation)
            _tokens.TryRemove(hash, out _);
    }

    /// <summary>Drops every kept token: an account was deactivated or its role or group changed.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _tokens.Clear();
    }
}
