using Harbor.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Auth;

/// <summary>
/// The one password check behind every way in: the API's bearer tokens and the web app's
/// sign-in cookie accept exactly the same accounts.
/// </summary>
public sealed class CheckCredentials(HarborDbContext db, IPasswordHasher<User> hasher)
{
    /// <returns>The active user, or null for bad credentials (never saying which part was wrong).</returns>
    public async Task<User?> HandleAsync(string? username, string? password, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
            return null;
        var key = username.Trim().ToLowerInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UsernameKey == key, ct);
        if (user is null || !user.IsActive)
            return null;

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
            return null;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // The hasher's parameters moved on: store the stronger hash while we know the password.
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }

        return user;
    }
}
