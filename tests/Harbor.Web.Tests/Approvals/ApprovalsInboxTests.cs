using System.Net;
using System.Net.Http.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Approvals;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Approvals;

/// <summary>
/// The approvals inbox use case behind /approvals, on both engines: both kinds newest first, who
/// may decide what, and a request that came too late.
/// </summary>
public sealed class ApprovalsInboxTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static Task<Result<ApprovalInbox>> InboxAsync(HarborApp app, Person person, Role role) =>
        app.InScopeAsync(services => services.GetRequiredService<ApprovalsInbox>().HandleAsync(new Viewer(person.Id, role, person.GroupId), CancellationToken.None));

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inbox_BothKinds_NewestFirst_WhoDecidesWhat_TooLateShownAsSuch(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine);
        var group = await app.CreateGroupAsync();
        var sales = await app.SalespeopleAsync(3, group);
        var manager = (await app.SeedPeopleAsync(Role.Manager, 1, group))[0];
        var otherManager = (await app.SeedPeopleAsync(Role.Manager, 1, await app.CreateGroupAsync()))[0];
        var director = (await app.SeedPeopleAsync(Role.Director, 1, null))[0];
        var first = await sales[0].Client.RegisterOkAsync(app.UniqueName("延期公司"));
        var second = await sales[1].Client.RegisterOkAsync(app.UniqueName("延期公司"));
        var shared = await sales[2].Client.RegisterOkAsync(app.UniqueName("合作公司"));
        await (await sales[0].Client.PostAsJsonAsync("/api/extensions", new { customerId = first, days = 3, reason = "下周签约" })).AssertStatusAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await sales[1].Client.PostAsJsonAsync("/api/extensions", new { customerId = second, days = 8, reason = "客户出差" })).AssertStatusAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await sales[2].Client.PostAsJsonAsync("/api/cooperations", new { customerId = shared, partnerId = sales[0].Id, sharePercent = 25 }))
            .AssertStatusAsync(HttpStatusCode.Created);

        var mine = (await InboxAsync(app, manager, Role.Manager)).Value!.Items;

        Assert.Equal([ApprovalKind.Cooperation, ApprovalKind.Extension, ApprovalKind.Extension], mine.Select(i => i.Kind));
        Assert.Equal([true, false, true], mine.Select(i => i.CanDecide));
        Assert.Equal(25, mine[0].SharePercent);
        Assert.Equal(sales[0].Id, mine[0].Partner!.Id);
        Assert.Equal(Role.Director, mine[1].ApproverRole);
        Assert.Equal(("下周签约", 3, 15, 1), (mine[2].Reason, mine[2].Days, mine[2].DaysLeft, mine[2].SalespersonExtensionsThisMonth));
        Assert.All(mine, i => Assert.False(i.TooLate));
        Assert.Empty((await InboxAsync(app, otherManager, Role.Manager)).Value!.Items);
        Assert.All((await InboxAsync(app, director, Role.Director)).Value!.Items, i => Assert.True(i.CanDecide));
        Assert.IsType<Refusal.Forbidden>((await InboxAsync(app, sales[0], Role.Salesperson)).Refusal);

        // 16 December 10:00: still pending, the customers fall due and are released (rule 6).
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 10, 0, 0, Shanghai));
        await app.SweepAsync();
        var late = (await InboxAsync(app, manager, Role.Manager)).Value!.Items;

        Assert.Equal(2, late.Count(i => i.Kind == ApprovalKind.Extension && i.TooLate && !i.CanDecide));
        // The cooperation ended with the ownership it was attached to: nothing left to decide.
        Assert.DoesNotContain(late, i => i.Kind == ApprovalKind.Cooperation);
        app.Clock.Advance(ApprovalsInbox.TooLateShownFor + TimeSpan.FromMinutes(1));
        Assert.Empty((await InboxAsync(app, manager, Role.Manager)).Value!.Items);
    }
}
