using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Harbor.Web.Data;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Auth;

/// <summary>
/// Opaque bearer tokens looked up in the database, or in <see cref="BearerTokenCache"/> when the
/// database was asked about the token in the last few seconds: a deactivated account or a revoked
/// token stops working at once on this app instance, and within the cache's lifetime on every other
/// (ADR-004).
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionClock clock,
    BearerTokenCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200)
            return AuthenticateResult.Fail("Malformed token.");

        var hash = BearerTokens.Hash(token);
        var now = clock.Now;
        var user = cache.Find(hash, now);
        if (user is null)
        {
            var generation = cache.Generation;
            var db = Context.RequestServices.GetRequiredService<HarborDbContext>();
            user = await FindAsync(db, hash, now, Context.RequestAborted);
            if (user is null)
                return AuthenticateResult.Fail("Unknown, expired or revoked token.");
            cache.Keep(hash, user, generation);
        }

        var identity = new ClaimsIdentity(Viewers.ClaimsOf(user.Id, user.Username, user.Role, user.GroupId), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static Task<TokenAccount?> FindAsync(HarborDbContext db, string hash, DateTimeOffset now, CancellationToken ct) =>
        db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.ExpiresAt > now && t.User!.IsActive)
            .Select(t => new TokenAccount(t.User!.Id, t.User.Username, t.User.Role, t.User.GroupId, t.ExpiresAt))
            .FirstOrDefaultAsync(ct);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first: send Authorization: Bearer <token>.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "forbidden", "Your role may not do this.");
}

public static class BearerTokens
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
