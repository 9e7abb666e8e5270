using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Harbor.Web.Http;

public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts per client address per minute (lockout guards each account on top).</summary>
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>Conflict checks per person per minute: plenty for someone typing, a wall for a script.</summary>
    public int ChecksPerMinute { get; set; } = 60;
}

/// <summary>Security headers on every response and rate limits where a script would do harm.</summary>
public static class Hardening
{
    public const string SignInLimit = "sign-in";
    public const string CheckLimit = "conflict-check";

    // Blazor Server and MudBlazor need inline styles and a WebSocket back to the host; nothing else
    // may load from anywhere, and no page may be framed.
    private const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; " +
        "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    });

    public static IServiceCollection AddHarborRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection("Harbor:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests: wait a moment and try again.");
            };
            o.AddPolicy(SignInLimit, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => Bucket(limits.SignInPerMinute)));
            o.AddPolicy(CheckLimit, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => Bucket(limits.ChecksPerMinute)));
        });
        return services;
    }

    /// <summary>A burst of a minute's worth, refilled evenly over the minute.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = Math.Max(1, perMinute),
        TokensPerPeriod = Math.Max(1, perMinute / 6),
        ReplenishmentPeriod = TimeSpan.FromSeconds(10),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
