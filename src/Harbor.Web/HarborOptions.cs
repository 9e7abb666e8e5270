using Harbor.Domain.Policy;
using Harbor.Web.Features.Workbook;

namespace Harbor.Web;

/// <summary>The "Harbor" configuration section (the contract names of the foundation issue).</summary>
public sealed class HarborOptions
{
    public const string Section = "Harbor";

    /// <summary>Holds the SQLite file; relative paths are under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public BootstrapOptions Bootstrap { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public bool SeedDemo { get; set; }

    public PolicySettings Policy { get; set; } = new();

    public WorkbookOptions Workbook { get; set; } = new();

    /// <summary>Where people reach Harbor (<c>https://harbor.example.com</c>): the link in emails and bot messages.</summary>
    public string? PublicUrl { get; set; }

    public Features.Notifications.NotificationOptions Notifications { get; set; } = new();

    /// <summary>The policy with the company's time zone from <c>Harbor:TimeZone</c>.</summary>
    public PolicySettings EffectivePolicy => Policy with { TimeZone = TimeZone };
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// SQLite only: how much of the database file each connection reads through memory mapping, in MiB
    /// (0 turns it off). Pages are then read from the operating system's cache in place, shared by every
    /// connection, instead of copied into each connection's own small cache (ADR-012).
    /// </summary>
    public int SqliteMemoryMapMiB { get; set; } = 1024;
}

public sealed class BootstrapOptions
{
    /// <summary>The password of the <c>admin</c> account created on an empty database.</summary>
    public string? AdminPassword { get; set; }
}

public sealed class AuthOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Failed sign-ins in a row that lock an account...</summary>
    public int LockoutThreshold { get; set; } = 10;

    /// <summary>...and for how long.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long the web app's sign-in cookie lives without use (sliding): a salesperson on a
    /// phone should not sign in again every morning.
    /// </summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromDays(7);
}
