using Bunit;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Duplicates;
using Harbor.Web.Data;
using Harbor.Web.Features.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>Issue 6: the clerk's review queue, each pending registration beside its candidates.</summary>
public sealed class ReviewBoardTests : IAsyncLifetime
{
    private readonly ComponentContext _ui = new();
    private readonly Viewer _clerk = new(Guid.NewGuid(), Role.Clerk, null);
    private Viewer _zhang = default!;
    private Viewer _li = default!;

    public async ValueTask InitializeAsync()
    {
        _zhang = await _ui.SalespersonAsync("张三", "华东组");
        _li = await _ui.SalespersonAsync("李四", "华南组");
        await _ui.RegisterAsync(_zhang, "杭州云帆科技有限公司");
        await _ui.RegisterAsync(_li, "云帆网络科技有限公司");
    }

    private IRenderedComponent<ReviewBoard> Board() => _ui.Render<ReviewBoard>(p => p.Add(b => b.Viewer, _clerk));

    private async Task<T> InDbAsync<T>(Func<HarborDbContext, Task<T>> read)
    {
        using var scope = _ui.Bunit.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<HarborDbContext>());
    }

    [Fact]
    public void Board_PendingRegistration_ShownBesideItsCandidateWithScoreStatusAndHolder()
    {
        var cut = Board();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test='review']")));
        var review = cut.Find("[data-test='review']");
        Assert.Contains("云帆网络科技有限公司", review.QuerySelector("[data-test='review-registration']")!.TextContent);
        Assert.Contains("李四", review.QuerySelector("[data-test='review-registration']")!.TextContent);
        var candidate = Assert.Single(cut.FindAll("[data-test='candidate']"));
        Assert.Equal("杭州云帆科技有限公司", candidate.GetAttribute("data-name"));
        Assert.Contains("相似度 1.00", candidate.QuerySelector("[data-test='score']")!.TextContent);
        Assert.Contains("保护中", candidate.TextContent);
        Assert.Contains("张三（华东组）", candidate.QuerySelector("[data-test='holder']")!.TextContent);
        Assert.Empty(cut.FindAll("[data-test='merge']"));
    }

    [Fact]
    public async Task Approve_Clicked_EntersTheCustomerUnderTheSalespersonAndTellsThem()
    {
        var cut = Board();
        cut.WaitForAssertion(() => cut.Find("[data-test='approve']"));

        await cut.Find("[data-test='approve']").ClickAsync();

        cut.WaitForAssertion(() => cut.Find("[data-test='reviews-empty']"));
        var (owner, told) = await InDbAsync(async db => (
            await db.Customers.Where(c => c.Name == "云帆网络科技有限公司").Select(c => c.OwnerId).SingleAsync(),
            await db.Notifications.CountAsync(n => n.UserId == _li.Id && n.Kind == NotificationKinds.RegistrationReviewed)));
        Assert.Equal(_li.Id, owner);
        Assert.Equal(1, told);
    }

    [Fact]
    public async Task Reject_OnACandidate_RecordedAsItsDuplicateAndTheSalespersonIsTold()
    {
        var cut = Board();
        cut.WaitForAssertion(() => cut.Find("[data-test='reject']"));

        await cut.Find("[data-test='reject']").ClickAsync();

        cut.WaitForAssertion(() => cut.Find("[data-test='reviews-empty']"));
        var (review, existing, told) = await InDbAsync(async db => (
            await db.Reviews.SingleAsync(),
            await db.Customers.Where(c => c.Name == "杭州云帆科技有限公司").Select(c => c.Id).SingleAsync(),
            await db.Notifications.CountAsync(n => n.UserId == _li.Id && n.Kind == NotificationKinds.RegistrationReviewed)));
        Assert.Equal(ReviewStatus.Rejected, review.Status);
        Assert.Equal(existing, review.DuplicateOfId);
        Assert.Equal(1, told);
        Assert.False(await InDbAsync(db => db.Customers.AnyAsync(c => c.Name == "云帆网络科技有限公司")));
    }

    [Fact]
    public async Task Merge_BetweenTwoCandidates_MergedAndTheQueueShowsTheKeptOneOnce()
    {
        // 云帆网络科技 approved for 张三 too, then a third registration finds both: they are one company.
        var first = Board();
        first.WaitForAssertion(() => first.Find("[data-test='approve']"));
        await InDbAsync(async db =>
        {
            var review = await db.Reviews.SingleAsync();
            await db.Reviews.Where(r => r.Id == review.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.SalespersonId, _zhang.Id));
            return 0;
        });
        await first.Find("[data-test='approve']").ClickAsync();
        first.WaitForAssertion(() => first.Find("[data-test='reviews-empty']"));
        await _ui.RegisterAsync(_li, "云帆信息科技有限公司");
        var dialogs = _ui.Render<MudDialogProvider>();
        var cut = Board();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test='candidate']").Count));

        var away = cut.FindAll("[data-test='candidate']").Single(c => c.GetAttribute("data-name") == "云帆网络科技有限公司");
        await away.QuerySelector("[data-test='merge']")!.ClickAsync();
        dialogs.WaitForAssertion(() => Assert.Contains("云帆网络科技有限公司", dialogs.Find("[data-test='merge-away']").TextContent));
        Assert.Equal("杭州云帆科技有限公司", Assert.Single(dialogs.FindAll("[data-test='merge-target']")).GetAttribute("data-name"));
        Assert.True(dialogs.Find("button[data-test='merge-confirm']").HasAttribute("disabled"));
        var reason = dialogs.Find("[data-test='merge-reason']");
        await (reason.TagName == "TEXTAREA" ? reason : reason.QuerySelector("textarea")!).InputAsync(new() { Value = "同一营业执照" });
        await dialogs.Find("button[data-test='merge-confirm']").ClickAsync();

        cut.WaitForAssertion(() => Assert.Equal("杭州云帆科技有限公司", Assert.Single(cut.FindAll("[data-test='candidate']")).GetAttribute("data-name")));
        var merged = await InDbAsync(db => db.Customers.SingleAsync(c => c.Name == "云帆网络科技有限公司"));
        Assert.Equal(CustomerStatus.Merged, merged.Status);
    }

    [Fact]
    public async Task Board_NothingPending_SaysSo()
    {
        await InDbAsync(db => db.Reviews.ExecuteDeleteAsync());

        var cut = Board();

        cut.WaitForAssertion(() => Assert.Contains("没有待审核的报备", cut.Find("[data-test='reviews-empty']").TextContent));
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
