using Bunit;
using Harbor.Web.Components.Shared;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>Rule 1 at a glance: slots used of the limit, and how close to full.</summary>
public sealed class SlotCounterTests : IAsyncDisposable
{
    private readonly ComponentContext _ui = new();

    [Theory]
    [InlineData(0, 15, "free", "还可报备 15 个")]
    [InlineData(12, 15, "free", "还可报备 3 个")]
    [InlineData(13, 15, "tight", "还可报备 2 个")]
    [InlineData(15, 15, "full", "名额已满")]
    public void Counter_UsedOfLimit_FigureStateAndHint(int used, int total, string state, string hint)
    {
        var cut = _ui.Render<SlotCounter>(p => p.Add(c => c.Used, used).Add(c => c.Total, total));

        Assert.Equal($"{used}/{total}", cut.Find("[data-test='slot-figure']").TextContent);
        Assert.Equal(state, cut.Find("[data-test='slot-counter']").GetAttribute("data-state"));
        Assert.Equal(hint, cut.Find("[data-test='slot-hint']").TextContent.Trim());
        Assert.Contains("保护名额", cut.Markup);
    }

    [Fact]
    public void Counter_Full_IsRed()
    {
        var cut = _ui.Render<SlotCounter>(p => p.Add(c => c.Used, 15).Add(c => c.Total, 15));

        Assert.NotNull(cut.Find(".mud-progress-linear-color-error"));
    }

    [Fact]
    public void Counter_Tight_IsAmber()
    {
        var cut = _ui.Render<SlotCounter>(p => p.Add(c => c.Used, 14).Add(c => c.Total, 15));

        Assert.NotNull(cut.Find(".mud-progress-linear-color-warning"));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
