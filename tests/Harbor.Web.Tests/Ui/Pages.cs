using Microsoft.Playwright;

namespace Harbor.Web.Tests.Ui;

/// <summary>What a person does on Harbor's pages, in the words of the UI.</summary>
public static class Pages
{
    /// <summary>docs/screenshots of the repository, named in the README.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "docs", "screenshots");

    public static ILocator Test(this IPage page, string name) => page.Locator($"[data-test='{name}']");

    /// <summary>The text box of a MudBlazor field marked with data-test.</summary>
    public static ILocator Field(this IPage page, string name) => page.Locator($"[data-test='{name}'] input, [data-test='{name}'] textarea, input[data-test='{name}'], textarea[data-test='{name}']").First;

    public static async Task SignInAsync(this IPage page, string username, string password)
    {
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login**");
        await page.Field("username").FillAsync(username);
        await page.Field("password").FillAsync(password);
        await page.Test("sign-in").ClickAsync();
        await page.WaitForPageAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits for the page the app goes to after an action. When it does not come, the failure says
    /// where the browser still is and what that page shows (an error, a refusal, a dropped
    /// connection), which a bare time-out in CI does not. (Playwright's time-out is the BCL's
    /// <see cref="TimeoutException"/>, not a <see cref="PlaywrightException"/>: both are caught.)
    /// </summary>
    public static Task WaitForPageAsync(this IPage page, string urlGlob) => page.WaitForPageAsync(() => page.WaitForURLAsync(urlGlob));

    /// <inheritdoc cref="WaitForPageAsync(IPage, string)"/>
    public static Task WaitForPageAsync(this IPage page, Func<string, bool> url) => page.WaitForPageAsync(() => page.WaitForURLAsync(url));

    private static async Task WaitForPageAsync(this IPage page, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (Exception waited) when (waited is PlaywrightException or TimeoutException)
        {
            string shown;
            try
            {
                shown = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 2_000 });
            }
            catch (Exception unread) when (unread is PlaywrightException or TimeoutException)
            {
                shown = "(the page could not be read)";
            }

            throw new PlaywrightException($"{waited.Message}\nStill at {page.Url}; the page shows:\n{shown[..Math.Min(shown.Length, 1_500)]}", waited);
        }
    }

    /// <summary>Blazor Server: the HTML comes first, the live connection after; wait for the latter.</summary>
    public static async Task WaitForInteractiveAsync(this IPage page)
    {
        await page.Test("interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    public static async Task ScreenshotAsync(this IPage page, string name, Screen screen)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        // The top of the page, as it opens, even after a click further down.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            // Finished transitions: the picture shows the page, not a ripple half-way.
            Animations = ScreenshotAnimations.Disabled,
            Path = Path.Combine(ScreenshotFolder, $"{name}-{screen.Name}.png"),
            FullPage = false,
        });
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harbor.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Harbor.slnx not found above " + AppContext.BaseDirectory);
    }
}
