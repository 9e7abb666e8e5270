using Harbor.Domain.Access;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Harbor.Web.Tests.Notifications.NotifyTestKit;

namespace Harbor.Web.Tests.Notifications;

/// <summary>
/// Issue 10's limits: WeCom and DingTalk take 20 messages a minute per bot (then throttle for ten
/// minutes); Feishu asks senders to keep off the minute of 10:00. Two dispatchers run side by side
/// throughout, as two instances would.
/// </summary>
public sealed class PacingTests
{
    private const int Limit = 20;

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Publication_300SalespeopleIn20Groups_EveryoneToldWithinTheLimits(Engine engine)
    {
        await using var app = await StartAsync(engine, null);
        await using var bots = await FakeBots.StartAsync(app.Clock);
        var kinds = new[] { "wecom", "dingtalk", "feishu" };
        var salespeople = new List<Person>();
        var groups = new List<(Guid Id, string Bot, string Kind)>();
        for (var g = 0; g < 20; g++)
        {
            var group = await app.CreateGroupAsync();
            var kind = kinds[g % 3];
            var bot = $"{kind}{g}";
            await app.SetBotAsync(group, kind, bots.Url(bot), kind == "wecom" ? null : "secret" + g);
            groups.Add((group, bot, kind));
            salespeople.AddRange(await app.SalespeopleAsync(15, group));
        }

        var names = new List<string>();
        foreach (var person in salespeople.Take(200))
        {
            names.Add(app.UniqueName("规模发布有限公司"));
            await person.Client.RegisterOkAsync(names[^1]);
        }

        app.Clock.SetUtcNow(Local(12, 16, 10, 0, 2));
        var swept = await app.SweepAsync();
        Assert.Equal(200, swept.Published);
        await DrainSideBySideAsync(app, TimeSpan.FromSeconds(5), Local(12, 16, 10, 30));

        var told = await app.InScopeAsync(async s => await s.GetRequiredService<HarborDbContext>().Notifications
            .CountAsync(n => n.Kind == NotificationKinds.Published));
        Assert.Equal(300, told);
        foreach (var (_, bot, kind) in groups)
        {
            var received = bots.To(bot).ToList();
            Assert.InRange(received.Count, 1, 3); // one message, in parts only where WeCom's 4,096 bytes demand it
            var text = string.Concat(received.Select(r => r.Body));
            Assert.All(names, n => Assert.Contains(n, text));
            Assert.True(MostInAnyMinute(received) <= Limit);
            Assert.All(received, r => Assert.True(r.At <= Local(12, 16, 10, 6), $"{bot} was told at {r.At}"));
            if (kind == "feishu")
                Assert.All(received, r => Assert.True(r.At >= Local(12, 16, 10, 1), $"{bot} was told in the minute of 10:00"));
        }

        Assert.DoesNotContain(await app.OutboxAsync(), m => m.SentAt is null);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task OneBot_SixtyMessages_NeverMoreThanTwentyInAnyMinute_AndATooFastAnswerHoldsItTenMinutes(Engine engine)
    {
        await using var app = await StartAsync(engine, null);
        await using var bots = await FakeBots.StartAsync(app.Clock);
        var group = await app.CreateGroupAsync();
        await app.SetBotAsync(group, "dingtalk", bots.Url("busy"), "s");
        await QueueAsync(app, group, OutboxChannel.DingTalk, 60);

        var start = app.Clock.GetUtcNow();
        await DrainSideBySideAsync(app, TimeSpan.FromSeconds(1), start.AddMinutes(15));
        var received = bots.To("busy").ToList();
        Assert.Equal(60, received.Count);
        Assert.True(MostInAnyMinute(received) <= Limit, $"{MostInAnyMinute(received)} in one minute");
        // Paced, not starved: 60 messages at 10 a minute after a burst of 8 take about five minutes.
        Assert.True(received.Max(r => r.At) - start < TimeSpan.FromMinutes(7));

        // The provider says "too fast" (DingTalk 130101): the bot is left alone for ten minutes.
        app.Clock.Advance(TimeSpan.FromMinutes(2)); // the bucket fills up again
        bots.Answer = _ => (200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}");
        await QueueAsync(app, group, OutboxChannel.DingTalk, 2);
        await app.DispatchAsync();
        var tripped = app.Clock.GetUtcNow();
        Assert.Equal(61, bots.To("busy").Count()); // one attempt, answered "too fast"; the other waits with it
        bots.Answer = _ => (200, "{\"errcode\":0}");
        var before = bots.Received.Count;
        await DrainSideBySideAsync(app, TimeSpan.FromSeconds(10), tripped.AddMinutes(20));
        var after = bots.To("busy").Skip(before).ToList();
        Assert.Equal(2, after.Count); // the refused one again, and the other
        Assert.All(after, r => Assert.True(r.At >= tripped.AddMinutes(10)));
    }

    /// <summary>Two dispatchers at every step, as two instances sharing the database.</summary>
    private static async Task DrainSideBySideAsync(HarborApp app, TimeSpan step, DateTimeOffset until)
    {
        while (true)
        {
            await Task.WhenAll(app.DispatchAsync(), app.DispatchAsync());
            var left = await app.InScopeAsync(async s => await s.GetRequiredService<HarborDbContext>().OutboxMessages
                .CountAsync(m => m.SentAt == null && m.GaveUpAt == null));
            if (left == 0 || app.Clock.GetUtcNow() >= until)
                return;
            app.Clock.Advance(step);
        }
    }

    private static Task<int> QueueAsync(HarborApp app, Guid group, OutboxChannel channel, int count) =>
        app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HarborDbContext>();
            var now = app.Clock.GetUtcNow();
            for (var i = 0; i < count; i++)
                db.OutboxMessages.Add(new OutboxMessage
                {
                    Id = Guid.NewGuid(),
                    Key = $"test:{Guid.NewGuid():N}",
                    Kind = "test",
                    Channel = channel,
                    Target = group.ToString(),
                    Subject = "测试",
                    Body = $"消息 {i}",
                    CreatedAt = now,
                    DueAt = now,
                });
            return await db.SaveChangesAsync();
        });

    private static int MostInAnyMinute(List<ReceivedHook> received) =>
        received.Count == 0 ? 0 : received.Max(r => received.Count(o => o.At >= r.At && o.At < r.At.AddMinutes(1)));
}
