using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Harbor.Web.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Harbor.Web.Features.Notifications.Delivery;

/// <summary>
/// The provider's answer to one attempt. <see cref="Permanent"/>: retrying cannot help (a refused
/// target, a missing bot). <see cref="Throttled"/>: the provider said "too fast".
/// </summary>
public sealed record Delivery(bool Sent, int? Status, string? Answer, bool Permanent = false, bool Throttled = false)
{
    public const int MaxExcerpt = 500;

    public static Delivery Ok(int? status, string? answer) => new(true, status, Excerpt(answer));

    public static Delivery Failed(int? status, string? answer, bool permanent = false, bool throttled = false) =>
        new(false, status, Excerpt(answer), permanent, throttled);

    public static string? Excerpt(string? text) => text is { Length: > MaxExcerpt } ? text[..MaxExcerpt] : text;
}

/// <summary>A bot's address and secret, decrypted for one send.</summary>
public sealed record BotTarget(OutboxChannel Kind, string Url, string? Secret);

/// <summary>Sends one message to one target. Tests wrap it to stop a dispatcher between the send and the mark.</summary>
public interface IMessageSender
{
    Task<Delivery> SendAsync(OutboxMessage message, string body, BotTarget? bot, CancellationToken ct);
}

public sealed class MessageSender(SmtpSender smtp, BotSender bots) : IMessageSender
{
    public Task<Delivery> SendAsync(OutboxMessage message, string body, BotTarget? bot, CancellationToken ct) => message.Channel switch
    {
        OutboxChannel.Email => smtp.SendAsync(message.Target, message.Subject, body, MessageIdOf(message), ct),
        OutboxChannel.WeCom or OutboxChannel.DingTalk or OutboxChannel.Feishu => bot is null
            ? Task.FromResult(Delivery.Failed(null, "The group has no bot any more.", permanent: true))
            : bots.SendAsync(bot, message.Subject, body, ct),
    };

    /// <summary>The idempotency key travels as the Message-ID: a mail system that sees it twice can tell.</summary>
    public static string MessageIdOf(OutboxMessage message) => $"{message.Id:N}@harbor";
}

/// <summary>
/// Email over SMTP with MailKit, from <c>Harbor:Notifications:Smtp</c>. One connection carries the messages
/// that follow each other: a sweep's reminders are one email per owner, and opening a connection (TLS, sign-in)
/// for each cost more than the message and looks like a flood to the mail server. The connection is checked
/// with NOOP after a pause, opened anew after a longer one or when the settings change, and dropped after any
/// failure, so a broken connection is never used twice.
/// </summary>
public sealed class SmtpSender(IOptionsMonitor<HarborOptions> options, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>A connection unused this long is asked for NOOP before it carries the next message.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(5);

    /// <summary>One unused this long is closed: mail servers drop idle clients after a minute or more.</summary>
    public static readonly TimeSpan ReopenAfter = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private SmtpClient? _client;
    private SmtpOptions? _openedWith;
    private DateTimeOffset _lastUsed;

    public async Task<Delivery> SendAsync(string to, string subject, string body, string messageId, CancellationToken ct)
    {
        var smtp = options.CurrentValue.Notifications.Smtp;
        if (!smtp.Configured)
            return Delivery.Failed(null, "SMTP is not configured (Harbor:Notifications:Smtp:Host and :From).", permanent: true);
        var message = new MimeMessage { Subject = subject, MessageId = messageId, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.Add(MailboxAddress.Parse(to));
        await _turn.WaitAsync(ct);
        try
        {
            var client = await ConnectedAsync(smtp, ct);
            var answer = await client.SendAsync(message, ct);
            _lastUsed = clock.GetUtcNow();
            return Delivery.Ok(250, answer);
        }
        catch (SmtpCommandException e)
        {
            await CloseAsync();
            // 5xx is the server's final word on this message; 4xx is worth another try.
            return Delivery.Failed((int)e.StatusCode, e.Message, permanent: (int)e.StatusCode >= 500 && e.ErrorCode != SmtpErrorCode.UnexpectedStatusCode);
        }
        catch (Exception e) when (IsTransport(e))
        {
            await CloseAsync();
            return Delivery.Failed(null, e.Message);
        }
        catch (OperationCanceledException)
        {
            await CloseAsync(); // stopped half-way through a command: the connection is out of step
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<SmtpClient> ConnectedAsync(SmtpOptions smtp, CancellationToken ct)
    {
        var idle = clock.GetUtcNow() - _lastUsed;
        if (_client is { IsConnected: true } open && SameServer(_openedWith!, smtp) && idle < ReopenAfter)
        {
            if (idle < CheckAfter)
                return open;
            try
            {
                await open.NoOpAsync(ct);
                return open;
            }
            catch (Exception e) when (IsTransport(e) || e is SmtpCommandException)
            {
                // The server let the connection go while it waited: open another.
            }
        }

        await CloseAsync();
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, ct);
            if (!string.IsNullOrEmpty(smtp.Username))
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        (_client, _openedWith, _lastUsed) = (client, Copy(smtp), clock.GetUtcNow());
        return client;
    }

    private static bool IsTransport(Exception e) =>
        e is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException or SslHandshakeException or MailKit.ServiceNotConnectedException;

    private static bool SameServer(SmtpOptions a, SmtpOptions b) =>
        a.Host == b.Host && a.Port == b.Port && a.UseTls == b.UseTls && a.Username == b.Username && a.Password == b.Password;

    private static SmtpOptions Copy(SmtpOptions smtp) =>
        new() { Host = smtp.Host, Port = smtp.Port, UseTls = smtp.UseTls, Username = smtp.Username, Password = smtp.Password, From = smtp.From };

    private async Task CloseAsync()
    {
        if (_client is not { } client)
            return;
        _client = null;
        try
        {
            if (client.IsConnected)
                await client.DisconnectAsync(true, CancellationToken.None);
        }
        catch (Exception e) when (IsTransport(e) || e is SmtpCommandException)
        {
            // Every message it carried was accepted; a rough goodbye changes nothing.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            _turn.Release();
            _turn.Dispose();
        }
    }
}

/// <summary>
/// WeCom, DingTalk and Feishu group bots. DingTalk signs the URL (timestamp in ms, HmacSHA256 of
/// "timestamp\nsecret" keyed by the secret); Feishu signs the body (timestamp in s,
/// HmacSHA256 keyed by "timestamp\nsecret" over nothing). Both base64.
/// </summary>
public sealed class BotSender(IHttpClientFactory http, TimeProvider clock)
{
    // The providers read UTF-8; escaping every Chinese character as \uXXXX would double the size.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>"Too fast": WeCom 45009, DingTalk 130101, Feishu 11232 and 9499.</summary>
    private static readonly int[] TooFast = [45009, 130101, 11232, 9499];

    public async Task<Delivery> SendAsync(BotTarget bot, string title, string text, CancellationToken ct)
    {
        if (!Uri.TryCreate(bot.Url, UriKind.Absolute, out var uri))
            return Delivery.Failed(null, "The bot's URL is not valid.", permanent: true);
        object payload;
        switch (bot.Kind)
        {
            case OutboxChannel.DingTalk:
                payload = new { msgtype = "markdown", markdown = new { title, text } };
                if (!string.IsNullOrEmpty(bot.Secret))
                {
                    var timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var sign = Sign(bot.Secret, $"{timestamp}\n{bot.Secret}");
                    var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
                    uri = new Uri(uri + $"{separator}timestamp={timestamp}&sign={Uri.EscapeDataString(sign)}");
                }

                break;
            case OutboxChannel.Feishu:
                if (!string.IsNullOrEmpty(bot.Secret))
                {
                    var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    payload = new { timestamp, sign = Sign($"{timestamp}\n{bot.Secret}", ""), msg_type = "text", content = new { text } };
                }
                else
                {
                    payload = new { msg_type = "text", content = new { text } };
                }

                break;
            default:
                payload = new { msgtype = "markdown", markdown = new { content = text } };
                break;
        }

        try
        {
            using var content = new StringContent(JsonSerializer.Serialize(payload, Json), Encoding.UTF8, "application/json");
            using var response = await http.CreateClient(TargetGuard.HttpClientName).PostAsync(uri, content, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return Delivery.Failed(status, answer, throttled: true);
            if (!response.IsSuccessStatusCode)
                return Delivery.Failed(status, answer, permanent: status is >= 400 and < 500 and not 408);
            var code = ErrorCode(answer);
            if (code is null or 0)
                return Delivery.Ok(status, answer);
            return Delivery.Failed(status, answer, throttled: TooFast.Contains(code.Value));
        }
        catch (HttpRequestException e) when (Refusal(e) is { } refused)
        {
            return Delivery.Failed(null, refused.Message, permanent: true);
        }
        catch (HttpRequestException e)
        {
            return Delivery.Failed(null, e.Message);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            return Delivery.Failed(null, "Timed out: " + e.Message);
        }
    }

    public static string Sign(string key, string message)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(message)));
    }

    private static TargetRefusedException? Refusal(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is TargetRefusedException refused)
                return refused;
        return null;
    }

    /// <summary>WeCom and DingTalk answer <c>errcode</c>, Feishu <c>code</c> (or <c>StatusCode</c>); 0 is success.</summary>
    private static int? ErrorCode(string answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var name in new[] { "errcode", "code", "StatusCode" })
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
                    return value.GetInt32();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
