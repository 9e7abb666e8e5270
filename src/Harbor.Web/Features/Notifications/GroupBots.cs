using System.Net;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Notifications;

/// <summary>The contract of issue 10: <c>{kind: "wecom" | "dingtalk" | "feishu", url, secret?}</c>.</summary>
public sealed record BotRequest(string? Kind, string? Url, string? Secret);

/// <summary>What the admin sees of a bot: never the key in its URL, never its secret.</summary>
public sealed record BotResponse(Guid GroupId, string Kind, string UrlHint, bool HasSecret, DateTimeOffset UpdatedAt);

public sealed record BotTestResponse(bool Sent, int? Status, string? Answer);

/// <summary>The admin sets, removes and tests a group's bot (issue 10).</summary>
public sealed class GroupBots(
    HarborDbContext db, WriteGate gate, TimeProvider clock, BotSecrets secrets, BotSender sender, BotPace pace,
    IOptionsMonitor<HarborOptions> options, Http.Actor actor)
{
    public const int MaxUrlLength = 1000;
    public const int MaxSecretLength = 200;

    public static readonly string[] Kinds = ["wecom", "dingtalk", "feishu"];

    public static string KindName(OutboxChannel kind) => kind switch
    {
        OutboxChannel.WeCom => "wecom",
        OutboxChannel.DingTalk => "dingtalk",
        OutboxChannel.Feishu => "feishu",
        OutboxChannel.Email => "email",
    };

    public static OutboxChannel? KindOf(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "wecom" => OutboxChannel.WeCom,
        "dingtalk" => OutboxChannel.DingTalk,
        "feishu" => OutboxChannel.Feishu,
        _ => null,
    };

    public Task<Result<BotResponse>> SetAsync(Guid groupId, BotRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = KindOf(request.Kind);
        if (kind is null)
            errors["kind"] = ["One of wecom, dingtalk, feishu."];
        var url = request.Url?.Trim();
        if (UrlProblem(url, options.CurrentValue.Notifications.AllowPrivateTargets) is { } problem)
            errors["url"] = [problem];
        var secret = string.IsNullOrWhiteSpace(request.Secret) ? null : request.Secret.Trim();
        if (secret is { Length: > MaxSecretLength })
            errors["secret"] = [$"At most {MaxSecretLength} characters."];
        if (errors.Count > 0)
            return Task.FromResult<Result<BotResponse>>(new Refusal.ValidationFailed(errors));

        return db.WriteAsync<BotResponse>(gate, async () =>
        {
            if (!await db.Groups.AnyAsync(g => g.Id == groupId, ct))
                return new Refusal.NotFound("group");
            var now = clock.GetUtcNow();
            var bot = await db.GroupBots.FirstOrDefaultAsync(b => b.GroupId == groupId, ct);
            if (bot is null)
                bot = db.GroupBots.Add(new GroupBot { GroupId = groupId, ProtectedUrl = "", UrlHint = "" }).Entity;
            bot.Kind = kind!.Value;
            bot.ProtectedUrl = secrets.Protect(url!);
            bot.ProtectedSecret = secret is null ? null : secrets.Protect(secret);
            bot.UrlHint = Hint(url!);
            bot.UpdatedAt = now;
            // The audit names the kind and the host, never the key or the secret.
            db.Audit(now, actor.Id, AuditActions.SettingChanged, groupId, $"group bot set: {KindName(bot.Kind)} {bot.UrlHint}");
            return Response(bot);
        }, ct);
    }

    public Task<Result<bool>> RemoveAsync(Guid groupId, CancellationToken ct) =>
        db.WriteAsync<bool>(gate, async () =>
        {
            var bot = await db.GroupBots.FirstOrDefaultAsync(b => b.GroupId == groupId, ct);
            if (bot is null)
                return new Refusal.NotFound("bot");
            db.GroupBots.Remove(bot);
            db.Audit(clock.GetUtcNow(), actor.Id, AuditActions.SettingChanged, groupId, "group bot removed");
            return true;
        }, ct);

    /// <summary>Sends a test message now and answers with the provider's answer; it takes a token like any message.</summary>
    public async Task<Result<BotTestResponse>> TestAsync(Guid groupId, CancellationToken ct)
    {
        var bot = await db.GroupBots.AsNoTracking().FirstOrDefaultAsync(b => b.GroupId == groupId, ct);
        if (bot is null)
            return new Refusal.NotFound("bot");
        var now = clock.GetUtcNow();
        var target = new BotTarget(bot.Kind, secrets.Unprotect(bot.ProtectedUrl), bot.ProtectedSecret is null ? null : secrets.Unprotect(bot.ProtectedSecret));
        if (await pace.TryTakeAsync(BotPace.KeyOf(target), now, ct) is { } next)
            return new BotTestResponse(false, null, $"Paced: this bot may take the next message at {next:O}.");
        var text = Messages.BotTest(Messages.CultureOf(null));
        var baseUrl = (options.CurrentValue.PublicUrl ?? "http://localhost:5000").TrimEnd('/');
        var delivery = await sender.SendAsync(target, text.Subject, text.Body.Replace(Messages.HarborLink, baseUrl, StringComparison.Ordinal), ct);
        return new BotTestResponse(delivery.Sent, delivery.Status, delivery.Answer);
    }

    public static BotResponse Response(GroupBot bot) => new(bot.GroupId, KindName(bot.Kind), bot.UrlHint, bot.ProtectedSecret is not null, bot.UpdatedAt);

    /// <summary>
    /// A malformed URL is refused here; so is an address that is plainly not public (a literal
    /// private IP, localhost) unless private targets are allowed. Names are checked again at send time.
    /// </summary>
    public static string? UrlProblem(string? url, bool allowPrivate)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength)
            return $"A webhook URL of 1 to {MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            return "An absolute http(s) URL.";
        if (!allowPrivate)
        {
            if (uri.Scheme != "https")
                return "An https URL.";
            if (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !TargetGuard.IsPublic(ip)))
                return "A public address (Harbor:Notifications:AllowPrivateTargets is off).";
        }

        return null;
    }

    private static string Hint(string url)
    {
        // Feishu puts the bot's token in the path, WeCom and DingTalk in the query: both are hidden.
        var uri = new Uri(url);
        var path = uri.AbsolutePath.TrimEnd('/');
        var parent = path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : "";
        var hint = $"{uri.Scheme}://{uri.Authority}{parent}/…" + (string.IsNullOrEmpty(uri.Query) ? "" : "?…");
        return hint.Length > GroupBot.MaxHintLength ? hint[..GroupBot.MaxHintLength] : hint;
    }
}
