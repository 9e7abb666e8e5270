using System.Security.Claims;
using Bunit;
using Harbor.Domain.Access;
using Harbor.Web.Data;
using Harbor.Web.Features.Auth;
using Harbor.Web.Features.Notifications;
using Harbor.Web.Features.Notifications.Delivery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Harbor.Web.Tests.Ui.Components;

/// <summary>Issue 10's two pages: a user's email settings, and the admin's bots, SMTP and failures.</summary>
public sealed class NotificationSettingsPagesTests : IAsyncDisposable
{
    private readonly ComponentContext _ui = new(services =>
    {
        services.AddOptions<HarborOptions>();
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddHttpClient();
        services.AddSingleton<BotSecrets>();
        services.AddSingleton<BotSender>();
        services.AddScoped<BotPace>();
        services.AddScoped<GroupBots>();
        services.AddScoped<NotificationSettings>();
        services.AddScoped<NotificationAdmin>();
    });

    [Fact]
    public async Task Settings_ShowsTheEmail_AndSavesAMutedKind()
    {
        var viewer = await _ui.SalespersonAsync("张三", "华东组");
        await InDbAsync(db => db.Users.Where(u => u.Id == viewer.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, "zhang@harbor.test")));
        _ui.Bunit.Render<MudPopoverProvider>();
        var cut = _ui.Render<NotificationSettingsPage>(p => p.AddCascadingValue(SignedIn(viewer)));

        cut.WaitForAssertion(() => Assert.Equal("zhang@harbor.test", cut.Find("[data-test='settings-email']").TextContent));
        Assert.Contains("明天到期提醒", cut.Markup);
        cut.Find("input[data-test='kind-due-tomorrow']").Change(false);
        cut.Find("[data-test='save-settings']").Click();

        cut.WaitForAssertion(() => Assert.Equal("due-tomorrow", Preference(viewer.Id)?.MutedKinds));
    }

    [Fact]
    public async Task Settings_WithoutAnEmail_SaysWhoAddsIt()
    {
        var viewer = await _ui.SalespersonAsync("李四", "华东组");
        _ui.Bunit.Render<MudPopoverProvider>();
        var cut = _ui.Render<NotificationSettingsPage>(p => p.AddCascadingValue(SignedIn(viewer)));

        cut.WaitForAssertion(() => Assert.Contains("联系管理员", cut.Find("[data-test='settings-no-email']").TextContent));
    }

    [Fact]
    public async Task Admin_ShowsSmtpBotsWithoutKeysAndFailures_AndRetries()
    {
        var viewer = await _ui.SalespersonAsync("王五", "华南组");
        var failed = Guid.NewGuid();
        using (var scope = _ui.Bunit.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HarborDbContext>();
            var secrets = scope.ServiceProvider.GetRequiredService<BotSecrets>();
            var group = await db.Groups.SingleAsync(g => g.Name == "华南组");
            var now = _ui.Clock.GetUtcNow();
            db.GroupBots.Add(new GroupBot
            {
                GroupId = group.Id,
                Kind = OutboxChannel.DingTalk,
                ProtectedUrl = secrets.Protect("https://oapi.dingtalk.com/robot/send?access_token=tok-999"),
                ProtectedSecret = secrets.Protect("SEC-999"),
                UrlHint = "https://oapi.dingtalk.com/robot/…?…",
                UpdatedAt = now,
            });
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = failed,
                Key = "k",
                Kind = NotificationKinds.DueTomorrow,
                Channel = OutboxChannel.Email,
                Target = "wang@harbor.test",
                Subject = "[Harbor] 明天到期：1 个客户",
                Body = "…",
                CreatedAt = now,
                DueAt = now,
                Attempts = 8,
                GaveUpAt = now,
                LastStatus = 550,
                LastError = "5.1.1 mailbox unavailable",
            });
            await db.SaveChangesAsync();
        }

        _ui.Bunit.Render<MudPopoverProvider>();
        var cut = _ui.Render<NotificationAdminPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-test='smtp-missing']")));
        var hint = cut.Find("[data-test='bot-hint']").TextContent;
        Assert.Contains("钉钉", hint);
        Assert.DoesNotContain("tok-999", cut.Markup);
        Assert.DoesNotContain("SEC-999", cut.Markup);
        var answer = cut.Find("[data-test='failure-answer']").TextContent;
        Assert.Contains("550", answer);
        Assert.Contains("mailbox unavailable", answer);
        Assert.Contains("已停止重试", cut.Find("[data-test='failure']").TextContent);

        cut.Find("[data-test='retry']").Click();

        cut.WaitForAssertion(() => Assert.Contains("已尝试 0 次", cut.Find("[data-test='failure']").TextContent));
        await InDbAsync(async db => Assert.Null((await db.OutboxMessages.SingleAsync(m => m.Id == failed)).GaveUpAt));
        Assert.Equal(Role.Salesperson, viewer.Role);
    }

    private static Task<AuthenticationState> SignedIn(Viewer viewer) =>
        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            Viewers.ClaimsOf(viewer.Id, "someone", viewer.Role, viewer.GroupId), "test"))));

    private NotificationPreference? Preference(Guid userId)
    {
        using var scope = _ui.Bunit.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<HarborDbContext>().NotificationPreferences.AsNoTracking().FirstOrDefault(p => p.UserId == userId);
    }

    private async Task InDbAsync(Func<HarborDbContext, Task> work)
    {
        using var scope = _ui.Bunit.Services.CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<HarborDbContext>());
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
