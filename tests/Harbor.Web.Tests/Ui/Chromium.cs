using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download). Locally the browser tests are
/// skipped when it is missing; .ci/run installs it and fails on any skip.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Without the networking flags Chromium keeps trying to reach the internet (shared/STACK.md).
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static void SkipUnlessInstalled() =>
        Assert.SkipUnless(IsInstalled, $"Browser tests need Chromium at {ExecutablePath} (apt-get install chromium fonts-noto-cjk).");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not installed.");

    public async ValueTask InitializeAsync()
    {
        if (!IsInstalled)
            return;
        _playwright = await Playwright.CreateAsync();
        // Launch (not a persistent context) gives every run a fresh, temporary user-data dir.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Flags,
        });
    }

    /// <summary>A new browser profile (cookies, storage) at one screen size, as a person would open it.</summary>
    public async Task<IPage> OpenAsync(Uri baseAddress, Screen screen)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
            DeviceScaleFactor = screen.IsPhone ? 2 : 1,
            IsMobile = screen.IsPhone,
            HasTouch = screen.IsPhone,
            // The browser asks for English: Harbor must still answer in Chinese until told otherwise.
            Locale = "en-US",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        // A page reached after a server action waits longer: when CI runs dozens of hosts and browsers at once
        // on two cores, such a wait has missed 15 s twice (session 5 after a registration, session 7 after the
        // first sign-in on a fresh host), while a quiet run takes well under a second.
        context.SetDefaultNavigationTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

public sealed record Screen(string Name, int Width, int Height)
{
    public static readonly Screen Phone = new("phone", 390, 844);
    public static readonly Screen Desk = new("desk", 1440, 900);

    public bool IsPhone => Width < 960;

    public static TheoryData<string> Both => [Phone.Name, Desk.Name];

    public static Screen Named(string name) => name == Phone.Name ? Phone : Desk;
}
