using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Auth;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>Signs a user in with username and password and issues a bearer token.</summary>
public sealed class IssueToken(HarborDbContext db, WriteGate gate, SessionClock clock, CheckCredentials credentials, IOptions<HarborOptions> options)
{
    public async Task<Result<TokenResponse>> HandleAsync(TokenRequest request, CancellationToken ct)
    {
        var user = await credentials.HandleAsync(request.Username, request.Password, ct);
        if (!user.Succeeded)
            return user.Refusal;

        return await db.WriteAsync<TokenResponse>(gate, () =>
        {
            var now = clock.Now;
            var token = BearerTokens.NewToken();
            var issued = new ApiToken
            {
                Id = Guid.CreateVersion7(now),
                TokenHash = BearerTokens.Hash(token),
                UserId = user.Value.Id,
                CreatedAt = now,
                ExpiresAt = now + options.Value.Auth.TokenLifetime,
            };
            db.ApiTokens.Add(issued);
            return Task.FromResult<Result<TokenResponse>>(new TokenResponse(token, issued.ExpiresAt));
        }, ct);
    }
}
