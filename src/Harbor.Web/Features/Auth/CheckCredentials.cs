using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Auth;

/// <summary>
/// The one password check behind every way in: the API's bearer tokens and the web app's
/// sign-in cookie accept exactly the same accounts. Every attempt is on the audit trail; ten
/// failures in a row lock the account for fifteen minutes (settings under Harbor:Auth).
/// </summary>
public sealed class CheckCredentials(HarborDbContext db, WriteGate gate, IPasswordHasher<User> hasher, SessionClock clock, IOptions<HarborOptions> options)
{
    private sealed record Attempt(User? User, Refusal? Refusal);

    /// <returns>The active user, or invalid-credentials (never saying which part was wrong), or locked-out.</returns>
    public async Task<Result<User>> HandleAsync(string? username, string? password, CancellationToken ct)
    {
        var key = username?.Trim().ToLowerInvariant() ?? "";
        var now = clock.Now;
        var user = key.Length == 0 ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UsernameKey == key, ct);
        // The hash is checked outside the write transaction: it takes tens of milliseconds on
        // purpose, and nobody else's write should wait for it.
        var verdict = user is { IsActive: true } && !string.IsNullOrEmpty(password) && !(user.LockedUntil > now)
            ? hasher.VerifyHashedPassword(user, user.PasswordHash, password)
            : PasswordVerificationResult.Failed;

        var attempt = await db.WriteAsync<Attempt>(gate, async () =>
        {
            var auth = options.Value.Auth;
            var tracked = user is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == user.Id, ct);
            if (tracked is null || !tracked.IsActive)
            {
                db.Audit(now, null, AuditActions.SignInFailed, tracked?.Id, Truncate(username));
                return new Attempt(null, new Refusal.InvalidCredentials());
            }

            if (tracked.LockedUntil > now)
            {
                db.Audit(now, null, AuditActions.SignInFailed, tracked.Id, "locked out");
                return new Attempt(null, new Refusal.LockedOut(tracked.LockedUntil.Value));
            }

            if (verdict == PasswordVerificationResult.Failed)
            {
                tracked.FailedSignIns++;
                var locked = tracked.FailedSignIns >= auth.LockoutThreshold;
                if (locked)
                {
                    tracked.LockedUntil = now + auth.LockoutDuration;
                    tracked.FailedSignIns = 0;
                }

                db.Audit(now, null, AuditActions.SignInFailed, tracked.Id, locked ? "wrong password; account locked" : "wrong password");
                return new Attempt(null, new Refusal.InvalidCredentials());
            }

            tracked.FailedSignIns = 0;
            tracked.LockedUntil = null;
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
                // The hasher's parameters moved on: store the stronger hash while we know the password.
                tracked.PasswordHash = hasher.HashPassword(tracked, password!);
            db.Audit(now, tracked.Id, AuditActions.SignIn, tracked.Id);
            return new Attempt(tracked, null);
        }, ct);

        // The attempt is committed either way: a failure counts towards the lockout.
        return attempt.Value!.User is { } signedIn ? signedIn : attempt.Value.Refusal!;
    }

    private static string? Truncate(string? text) => text is { Length: > 64 } ? text[..64] : text;
}
