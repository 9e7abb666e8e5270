using Bunit;
using Harbor.Web.Components.Shared;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>Due dates speak louder as they near: rule 4 reminds the day before and publishes on the day.</summary>
public sealed class DueChipTests : IAsyncDisposable
{
    private readonly ComponentContext _ui = new();

    [Theory]
    [InlineData(15, "calm", "success", "剩 15 天")]
    [InlineData(4, "calm", "success", "剩 4 天")]
    [InlineData(3, "soon", "warning", "剩 3 天")]
    [InlineData(2, "soon", "warning", "剩 2 天")]
    [InlineData(1, "urgent", "error", "明天到期")]
    [InlineData(0, "urgent", "error", "今天到期")]
    [InlineData(-1, "urgent", "error", "已到期")]
    public void Chip_DaysLeft_ToneColourAndText(int daysLeft, string tone, string colour, string text)
    {
        var cut = _ui.Render<DueChip>(p => p.Add(c => c.DaysLeft, daysLeft).Add(c => c.DueOn, new DateOnly(2026, 12, 16)));

        var chip = cut.Find("[data-test='due-chip']");
        Assert.Equal(tone, chip.GetAttribute("data-tone"));
        Assert.Contains($"mud-chip-color-{colour}", chip.ClassName);
        Assert.Equal(text, chip.TextContent.Trim());
    }

    [Fact]
    public void Chip_NoClock_ShowsTheDateQuietly()
    {
        var cut = _ui.Render<DueChip>(p => p.Add(c => c.DaysLeft, null).Add(c => c.DueOn, new DateOnly(2026, 12, 16)));

        var chip = cut.Find("[data-test='due-chip']");
        Assert.Equal("none", chip.GetAttribute("data-tone"));
        Assert.Equal("12月16日", chip.TextContent.Trim());
    }

    [Theory]
    [InlineData(null, DueTone.None)]
    [InlineData(16, DueTone.Calm)]
    [InlineData(DueTones.SoonDays + 1, DueTone.Calm)]
    [InlineData(DueTones.SoonDays, DueTone.Soon)]
    [InlineData(DueTones.UrgentDays + 1, DueTone.Soon)]
    [InlineData(DueTones.UrgentDays, DueTone.Urgent)]
    [InlineData(0, DueTone.Urgent)]
    public void Tone_DaysLeft_Thresholds(int? daysLeft, DueTone expected) => Assert.Equal(expected, DueTones.Of(daysLeft));

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
