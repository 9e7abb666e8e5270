namespace Harbor.Web.Features.Notifications;

/// <summary>The <c>Harbor:Notifications</c> section (issue 10).</summary>
public sealed class NotificationOptions
{
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Lets webhooks reach loopback and private addresses: for tests and on-premise bots only.</summary>
    public bool AllowPrivateTargets { get; set; }

    public DispatcherOptions Dispatcher { get; set; } = new();

    /// <summary>
    /// WeCom and DingTalk take 20 messages a minute per bot. A bucket of <see cref="BotBurst"/>
    /// refilled at <see cref="BotPerMinute"/> a minute sends at most burst + rate (18) in any minute.
    /// </summary>
    public int BotBurst { get; set; } = 8;

    public int BotPerMinute { get; set; } = 10;
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public bool UseTls { get; set; } = true;
    public string? Username { get; set; }

    /// <summary>From configuration (environment or a secret store); never shown or logged.</summary>
    public string? Password { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}

public sealed class DispatcherOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longer than any one send (sends time out after 30 s): a live dispatcher never outlives its lease.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxAttempts { get; set; } = 8;
}
