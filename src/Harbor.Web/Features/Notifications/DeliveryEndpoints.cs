using System.Security.Claims;
using Harbor.Web.Data;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Notifications.Delivery;
using Harbor.Web.Http;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Notifications;

/// <summary>Issue 10's routes and services: group bots, the user's email settings, the admin's delivery view.</summary>
public static class DeliveryEndpoints
{
    public static IServiceCollection AddHarborNotifications(this IServiceCollection services, HarborOptions harbor)
    {
        // Data Protection keys: in the data folder on SQLite, in the database on PostgreSQL, so
        // that every instance reads the bot secrets another wrote (ADR-009).
        var protection = services.AddDataProtection().SetApplicationName("Harbor");
        if (harbor.Database.Provider.Trim().Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(harbor.DataDirectory, Environment.CurrentDirectory), "keys")));
        else
            protection.PersistKeysToDbContext<HarborDbContext>();

        services.AddHttpClient(TargetGuard.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<HarborOptions>>();
                return new SocketsHttpHandler
                {
                    ConnectCallback = TargetGuard.Connect(() => options.CurrentValue.Notifications.AllowPrivateTargets),
                    // A redirect could lead anywhere: the bots answer where they are asked.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            });
        services.AddSingleton<BotSecrets>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<BotSender>();
        services.AddSingleton<IMessageSender, MessageSender>();
        services.AddScoped<BotPace>();
        services.AddScoped<Dispatcher>();
        services.AddHostedService<DispatcherService>();
        services.AddScoped<GroupBots>();
        services.AddScoped<NotificationSettings>();
        services.AddScoped<NotificationAdmin>();
        return services;
    }

    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        var bots = app.MapGroup("/api/groups/{id:guid}/bot").WithTags("Notifications").RequireAuthorization(Policies.Admin);
        bots.MapPut("", async Task<Results<Ok<BotResponse>, ProblemHttpResult>> (Guid id, BotRequest request, GroupBots useCase, CancellationToken ct) =>
            (await useCase.SetAsync(id, request, ct)).ToOk());
        bots.MapDelete("", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, GroupBots useCase, CancellationToken ct) =>
            await useCase.RemoveAsync(id, ct) is { Succeeded: false } refused ? Problems.From(refused.Refusal) : TypedResults.NoContent());
        bots.MapPost("/test", async Task<Results<Ok<BotTestResponse>, ProblemHttpResult>> (Guid id, GroupBots useCase, CancellationToken ct) =>
            (await useCase.TestAsync(id, ct)).ToOk());

        var mine = app.MapGroup("/api/me/notification-settings").WithTags("Notifications").RequireAuthorization();
        mine.MapGet("", async (ClaimsPrincipal user, NotificationSettings useCase, CancellationToken ct) =>
            TypedResults.Ok(await useCase.GetAsync(user.ToViewer(), ct)));
        mine.MapPut("", async Task<Results<Ok<NotificationSettingsResponse>, ProblemHttpResult>> (
            NotificationSettingsRequest request, ClaimsPrincipal user, NotificationSettings useCase, CancellationToken ct) =>
            (await useCase.SaveAsync(user.ToViewer(), request, ct)).ToOk());

        var admin = app.MapGroup("/api/admin/notifications").WithTags("Notifications").RequireAuthorization(Policies.Admin);
        admin.MapGet("", async (NotificationAdmin useCase, CancellationToken ct) => TypedResults.Ok(await useCase.OverviewAsync(ct)));
        admin.MapPost("/{messageId:guid}/retry", async Task<Results<NoContent, ProblemHttpResult>> (Guid messageId, NotificationAdmin useCase, CancellationToken ct) =>
            await useCase.RetryAsync(messageId, ct) is { Succeeded: false } refused ? Problems.From(refused.Refusal) : TypedResults.NoContent());
    }
}
