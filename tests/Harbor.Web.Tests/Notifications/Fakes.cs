using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Harbor.Web.Tests.Notifications;

public sealed record ReceivedMail(string To, string Subject, string Body, string MessageId);

/// <summary>
/// A small SMTP server on 127.0.0.1 standing in for the company's mail server: enough of RFC 5321
/// for MailKit without TLS or authentication. It keeps what it accepted.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public FakeSmtpServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private int _connections;

    /// <summary>How many connections clients have opened so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Closes every open connection, as a server does with idle clients.</summary>
    public void DropConnections()
    {
        foreach (var client in _open.Keys)
            client.Close();
    }

    public Dictionary<string, string?> Settings => new()
    {
        ["Harbor:Notifications:Smtp:Host"] = "127.0.0.1",
        ["Harbor:Notifications:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Harbor:Notifications:Smtp:From"] = "harbor@harbor.test",
        ["Harbor:Notifications:Smtp:UseTls"] = "false",
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _open[client] = 0;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake.harbor.test ESMTP");
            var to = "";
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake.harbor.test");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "RCPT":
                        to = line[(line.IndexOf('<') + 1)..line.IndexOf('>')];
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())));
                        Received.Enqueue(new ReceivedMail(to, message.Subject ?? "", message.TextBody ?? "", message.MessageId ?? ""));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // DropConnections closed it under the reader.
        }
        finally
        {
            _open.TryRemove(client, out var _);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed record ReceivedHook(string Path, string Query, string Body, DateTimeOffset At);

/// <summary>
/// Kestrel on 127.0.0.1 standing in for the WeCom, DingTalk and Feishu servers: every path is a
/// bot; it records what came and when (on the test's clock) and answers as told.
/// </summary>
public sealed class FakeBots : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeBots(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
    }

    public TimeProvider Clock { get; }

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();

    /// <summary>The answer for a path: status and body. By default every provider's "ok".</summary>
    public Func<string, (int Status, string Body)> Answer { get; set; } = _ => (200, "{\"errcode\":0,\"errmsg\":\"ok\",\"code\":0}");

    public string BaseUrl { get; private set; } = "";

    public string Url(string bot) => $"{BaseUrl}/{bot}";

    public IEnumerable<ReceivedHook> To(string bot) => Received.Where(r => r.Path == "/" + bot);

    public static async Task<FakeBots> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var bots = new FakeBots(app, clock);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Path.Value ?? "";
            bots.Received.Enqueue(new ReceivedHook(path, context.Request.QueryString.Value ?? "", body, clock.GetUtcNow()));
            var (status, answer) = bots.Answer(path.TrimStart('/'));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        });
        await app.StartAsync();
        bots.BaseUrl = app.Urls.First();
        return bots;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
