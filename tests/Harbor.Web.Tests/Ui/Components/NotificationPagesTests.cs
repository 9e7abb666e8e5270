using Bunit;
using Harbor.Domain.Access;
using Harbor.Web.Components.Layout;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>The bell on the app bar and the notifications page: counts, text in the user's language, marking read.</summary>
public sealed class NotificationPagesTests : IAsyncLifetime
{
    private readonly PageContext _ui = new();
    private Viewer _li = default!;

    public async ValueTask InitializeAsync()
    {
        _li = await _ui.PersonAsync(Role.Salesperson, "李四", "华南组");
        var now = _ui.Clock.GetUtcNow();
        await AddAsync(Notify.Create(_li.Id, NotificationKinds.DueTomorrow, new
        {
            customerId = Guid.NewGuid(),
            customerName = "北京星辰科技有限公司",
            dueOn = new DateOnly(2026, 12, 2),
            releaseAt = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8)),
        }, now));
        await AddAsync(Notify.Create(_li.Id, NotificationKinds.Published, new
        {
            publishedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)),
            count = 2,
            customers = new[] { new { customerId = Guid.NewGuid(), name = "上海云帆网络科技有限公司" }, new { customerId = Guid.NewGuid(), name = "杭州青禾贸易有限公司" } },
        }, now.AddMinutes(1)));
    }

    private Task<int> AddAsync(Notification notification) => _ui.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<HarborDbContext>();
        db.Notifications.Add(notification);
        return await db.SaveChangesAsync();
    });

    [Fact]
    public void Bell_UnreadCount_ListsTextInChinese_NewestFirst()
    {
        var cut = _ui.RenderAs<NotificationBell>(_li);

        Assert.Equal("通知（2 条未读）", cut.Find("[data-test='bell']").GetAttribute("aria-label"));
        Assert.Contains("2", cut.Find(".mud-badge").TextContent);
        cut.Find("[data-test='bell']").Click();

        var items = cut.FindAll("[data-test='bell-item']");
        Assert.Equal(2, items.Count);
        Assert.Contains("12月1日 10:00 有 2 个客户发布到公海：上海云帆网络科技有限公司、杭州青禾贸易有限公司", items[0].TextContent);
        Assert.Contains("北京星辰科技有限公司 明天到期，将于 12月2日 10:00 释放到公海", items[1].TextContent);
        Assert.All(items, i => Assert.Equal("false", i.GetAttribute("data-read")));
    }

    [Fact]
    public void Bell_MarkAllRead_CountDropsAtOnce()
    {
        var cut = _ui.RenderAs<NotificationBell>(_li);
        cut.Find("[data-test='bell']").Click();

        cut.Find("[data-test='bell-read-all']").Click();

        cut.WaitForAssertion(() => Assert.Equal("通知（0 条未读）", cut.Find("[data-test='bell']").GetAttribute("aria-label")));
        Assert.All(cut.FindAll("[data-test='bell-item']"), i => Assert.Equal("true", i.GetAttribute("data-read")));
    }

    [Fact]
    public void Bell_OneItem_MarkedReadAndOpensItsPage()
    {
        var cut = _ui.RenderAs<NotificationBell>(_li);
        cut.Find("[data-test='bell']").Click();

        cut.FindAll("[data-test='bell-item']")[0].Click();

        cut.WaitForAssertion(() => Assert.Equal("通知（1 条未读）", cut.Find("[data-test='bell']").GetAttribute("aria-label")));
        // The page opens once the mark is saved, which may be a moment after the count changes.
        var navigation = _ui.Bunit.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/pool", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bell_NewNotification_CountedAtTheNextRefresh()
    {
        var cut = _ui.RenderAs<NotificationBell>(_li);
        await AddAsync(Notify.Create(_li.Id, NotificationKinds.ExtensionDecided, new
        {
            customerName = "北京星辰科技有限公司",
            approved = true,
            days = 3,
            dueOn = new DateOnly(2026, 12, 19),
            comment = "好",
        }, _ui.Clock.GetUtcNow()));
        Assert.Equal("通知（2 条未读）", cut.Find("[data-test='bell']").GetAttribute("aria-label"));

        _ui.Clock.Advance(NotificationBell.Refresh);

        cut.WaitForAssertion(() => Assert.Equal("通知（3 条未读）", cut.Find("[data-test='bell']").GetAttribute("aria-label")));
        cut.Find("[data-test='bell']").Click();
        Assert.Contains(cut.FindAll("[data-test='bell-item']"), i => i.TextContent.Contains("北京星辰科技有限公司 的延期申请（3 天）已批准，新到期日 12月19日（意见：好）", StringComparison.Ordinal));
    }

    [Fact]
    public void Page_WholeList_MarkOneRead_TellsTheBell()
    {
        var bell = _ui.RenderAs<NotificationBell>(_li);
        var cut = _ui.RenderAs<NotificationsPage>(_li);
        Assert.Equal(2, cut.FindAll("[data-test='notification']").Count);
        Assert.Contains("未读 2 条", cut.Find("[data-test='unread-count']").TextContent);

        cut.FindAll("[data-test='mark-read']")[0].Click();

        cut.WaitForAssertion(() => Assert.Contains("未读 1 条", cut.Find("[data-test='unread-count']").TextContent));
        bell.WaitForAssertion(() => Assert.Equal("通知（1 条未读）", bell.Find("[data-test='bell']").GetAttribute("aria-label")));
        cut.Find("[data-test='read-all']").Click();
        cut.WaitForAssertion(() => Assert.Contains("未读 0 条", cut.Find("[data-test='unread-count']").TextContent));
    }

    [Fact]
    public void Page_Empty_SaysSo()
    {
        var nobody = new Viewer(Guid.NewGuid(), Role.Clerk, null);

        var cut = _ui.RenderAs<NotificationsPage>(nobody);

        Assert.Contains("没有通知", cut.Find("[data-test='notifications-empty']").TextContent);
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
