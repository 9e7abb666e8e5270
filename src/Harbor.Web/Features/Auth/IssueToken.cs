using Harbor.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Auth;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>Signs a user in with username and password and issues a bearer token.</summary>
public sealed class IssueToken(HarborDbContext db, SessionClock clock, IPasswordHasher<User> hasher, IOptions<HarborOptions> options)
{
    /// <returns>The token, or null for bad credentials (never saying which part was wrong).</returns>
    public async Task<TokenResponse?> HandleAsync(TokenRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
            return null;
        var key = request.Username.Trim().ToLowerInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UsernameKey == key, ct);
        if (user is null || !user.IsActive)
            return null;

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password);
        if (verdict == PasswordVerificationResult.Failed)
            return null;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = hasher.HashPassword(user, request.Password);

        var now = clock.Now;
        var token = BearerTokens.NewToken();
        var issued = new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            TokenHash = BearerTokens.Hash(token),
            UserId = user.Id,
            CreatedAt = now,
            ExpiresAt = now + options.Value.Auth.TokenLifetime,
        };
        db.ApiTokens.Add(issued);
        await db.SaveChangesAsync(ct);
        return new TokenResponse(token, issued.ExpiresAt);
    }
}
