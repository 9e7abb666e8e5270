using Harbor.Web.Data;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Auth;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>Signs a user in with username and password and issues a bearer token.</summary>
public sealed class IssueToken(HarborDbContext db, TimeProvider clock, CheckCredentials credentials, IOptions<HarborOptions> options)
{
    /// <returns>The token, or null for bad credentials (never saying which part was wrong).</returns>
    public async Task<TokenResponse?> HandleAsync(TokenRequest request, CancellationToken ct)
    {
        var user = await credentials.HandleAsync(request.Username, request.Password, ct);
        if (user is null)
            return null;

        var now = clock.GetUtcNow();
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
