using MudBlazor;

namespace Harbor.Web.Components.Layout;

/// <summary>One theme for every page: a harbour blue, warm amber for what is due, system CJK fonts.</summary>
public static class HarborTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b4f6c",
            Secondary = "#f2a541",
            Tertiary = "#2a9d8f",
            AppbarBackground = "#0b4f6c",
            Background = "#f4f7f9",
            Success = "#2e7d32",
            Warning = "#ed8a00",
            Error = "#c62828",
            Info = "#1e6fa8",
            DrawerBackground = "#ffffff",
            DrawerText = "#263238",
            TextPrimary = "#1f2a30",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
            },
            H5 = new H5Typography { FontWeight = "700" },
            H6 = new H6Typography { FontWeight = "600" },
            // Capitals mean nothing in Chinese and shout in English.
            Button = new ButtonTypography { TextTransform = "none", FontWeight = "600" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
