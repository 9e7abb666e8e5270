using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.FollowUps;
using Harbor.Web.Features.Orders;
using Harbor.Web.Features.Reports;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>The manager's dashboards: the funnel with its conversions, the performance with the orders that earned nothing.</summary>
public sealed class ReportPagesTests : IAsyncLifetime
{
    private readonly ComponentContext _ui = new();
    private Viewer _zhang = default!;
    private Viewer _wang = default!;
    private Viewer _manager = default!;
    private Guid _star;
    private Guid _cloud;

    public async ValueTask InitializeAsync()
    {
        _zhang = await _ui.SalespersonAsync("张三", "华东组");
        _wang = await _ui.SalespersonAsync("王五", "华东组");
        _manager = await _ui.PersonAsync(Role.Manager, "王磊", "华东组");
        _star = await _ui.RegisterAsync(_zhang, "北京星辰科技有限公司");
        _cloud = await _ui.RegisterAsync(_zhang, "上海云帆网络科技有限公司");
        foreach (var stage in new[] { "phone-call", "first-meeting", "phone-follow-up" })
            await FollowAsync(_star, stage);
        await FollowAsync(_cloud, "phone-call");
    }

    private Task<Result<FollowUpRecorded>> FollowAsync(Guid customer, string stage) =>
        _ui.RunAsync<RecordFollowUp, Result<FollowUpRecorded>>(r => r.HandleAsync(_zhang, customer, new FollowUpBody(stage, null, null), CancellationToken.None));

    private Task<Result<OrderResult>> OrderAsync(Viewer by, Guid customer, decimal amount) =>
        _ui.RunAsync<SubmitOrder, Result<OrderResult>>(s => s.HandleAsync(by, new OrderBody(customer, amount, null), CancellationToken.None));

    [Fact]
    public void Funnel_Manager_SeesCustomersPerStageAndTheConversion()
    {
        var cut = _ui.Render<FunnelPage>(p => p.AddCascadingValue(ComponentContext.SignedIn(_manager)));

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-test='funnel-started']").TextContent.Trim()));
        Assert.NotNull(cut.Find("[data-test='funnel-chart']"));
        var rows = cut.FindAll("[data-test='funnel-customers']").Select(r => r.TextContent.Trim()).ToList();
        Assert.Equal(["2", "1", "1", "0", "0", "0", "0"], rows);
        var conversions = cut.FindAll("[data-test='funnel-conversion']").Select(r => r.TextContent.Trim()).ToList();
        Assert.Equal("—", conversions[0]);
        Assert.Contains("50%", conversions[1]);
        Assert.Contains("100%", conversions[2]);
        Assert.Contains("约见面谈", cut.FindAll("[data-test='funnel-stage']")[1].TextContent);
    }

    [Fact]
    public async Task Performance_Manager_SeesCreditAndTheOrderOutsideTheSheetWithItsReason()
    {
        Assert.True((await OrderAsync(_zhang, _star, 12800m)).Value!.Credited);
        Assert.False((await OrderAsync(_wang, _cloud, 5000m)).Value!.Credited);

        var cut = _ui.Render<PerformancePage>(p => p.AddCascadingValue(ComponentContext.SignedIn(_manager)));

        cut.WaitForAssertion(() => Assert.Equal("¥12,800.00", cut.Find("[data-test='performance-credited']").TextContent.Trim()));
        Assert.Equal("1", cut.Find("[data-test='performance-uncredited']").TextContent.Trim());
        var uncredited = Assert.Single(cut.FindAll("[data-test='uncredited-order']"));
        Assert.Contains("上海云帆网络科技有限公司", uncredited.TextContent);
        Assert.Contains("王五", uncredited.TextContent);
        Assert.Contains("not-in-sheet", uncredited.TextContent);
        Assert.NotNull(cut.Find("[data-test='performance-chart-people']"));
        Assert.Equal(["王五", "张三"], cut.FindAll("[data-test='performance-row']").Select(r => r.TextContent.Trim()).Order());
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(12, 5)]
    [InlineData(128_000, 50_000)]
    [InlineData(184_000, 50_000)]
    [InlineData(56_000, 20_000)]
    public void ChartScale_RoundSteps(double max, int step) => Assert.Equal(step, ChartScale.Step(max));

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
