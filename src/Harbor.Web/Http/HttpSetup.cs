using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Harbor.Web.Http;

public static class HttpSetup
{
    /// <summary>JSON bodies of the API are small; files (the workbook) raise their own limit.</summary>
    public const long MaxJsonBodyBytes = 256 * 1024;

    public static IServiceCollection AddHarborHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        // Binding failures (malformed JSON, a missing body) throw, so that they reach the
        // exception handler and come out as problem+json instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    /// <summary>
    /// Under /api, a path that no API route matches is a 404 problem for every method — not the
    /// web app's page, and not a 405 from a page route that happens to share the path.
    /// </summary>
    public static IApplicationBuilder UseUnknownApiRoutesAsNotFound(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api")
            && (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) != true)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "not-found", "No such API route.");
            return;
        }

        await next(context);
    });

    /// <summary>Refuses an oversized API body with 413 before anything reads it.</summary>
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (context.Request.ContentLength > MaxJsonBodyBytes)
            {
                await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "payload-too-large", $"The body is larger than {MaxJsonBodyBytes} bytes.");
                return;
            }

            if (feature is { IsReadOnly: false })
                feature.MaxRequestBodySize = MaxJsonBodyBytes;
        }

        await next(context);
    });
}

/// <summary>Bad input is a 4xx problem with a code; anything else is a bug, logged, and a 500 problem.</summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The body is too large.");
                return true;
            case BadHttpRequestException bad:
                await Problems.Write(context, StatusCodes.Status400BadRequest, "validation-failed", "The request could not be read.",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["body"] = [Describe(bad)] } });
                return true;
            default:
                logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
                await Problems.Write(context, StatusCodes.Status500InternalServerError, "internal-error", "Something went wrong on our side.");
                return true;
        }
    }

    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json ? $"Malformed JSON: {json.Message}" : bad.Message;
}
