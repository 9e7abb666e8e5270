using Harbor.Web.Data;
using Harbor.Web.Features.Notifications.Delivery;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Harbor.Web.Tests.Notifications.NotifyTestKit;

namespace Harbor.Web.Tests.Notifications;

/// <summary>
/// The dispatcher stopped mid-send and started again (ADR-009): nothing lost, nothing doubled
/// where a stop is a stop; after a hard crash between the provider's "ok" and the mark, the
/// message goes again once the lease runs out, with the same Message-ID.
/// </summary>
public sealed class CrashTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task StoppedBetweenSendAndMark_ThenRestarted_NothingLostOrDoubled(Engine engine)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(engine, smtp);
        await QueueEmailsAsync(app, 3);
        using var stop = new CancellationTokenSource();
        await using var stopping = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<IMessageSender>(sp => new AfterSend(ActivatorUtilities.CreateInstance<MessageSender>(sp), stop.Cancel))));

        await using (var scope = stopping.Services.CreateAsyncScope())
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.ServiceProvider.GetRequiredService<Dispatcher>().RunOnceAsync(stop.Token));
        Assert.Single(smtp.Received);
        var afterStop = await app.OutboxAsync();
        Assert.Single(afterStop, m => m.SentAt is not null);
        Assert.All(afterStop, m => Assert.Null(m.LeaseId));

        Assert.Equal(2, await app.DispatchAsync());
        Assert.Equal(0, await app.DispatchAsync());
        var mails = smtp.Received.ToList();
        Assert.Equal(3, mails.Count);
        Assert.Equal(3, mails.Select(m => m.To).Distinct().Count());
        Assert.Equal(3, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.All(await app.OutboxAsync(), m => Assert.NotNull(m.SentAt));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task CrashedBetweenSendAndMark_LeaseRunsOut_SentAgainWithTheSameMessageId(Engine engine)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(engine, smtp);
        await QueueEmailsAsync(app, 1);
        await using var crashing = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<IMessageSender>(sp => new AfterSend(ActivatorUtilities.CreateInstance<MessageSender>(sp), () => throw new InvalidOperationException("the process died")))));

        await using (var scope = crashing.Services.CreateAsyncScope())
            await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<Dispatcher>().RunOnceAsync(CancellationToken.None));
        Assert.NotNull(Assert.Single(await app.OutboxAsync()).LeaseId);

        // The lease is held for two minutes: no other dispatcher touches the message meanwhile.
        Assert.Equal(0, await app.DispatchAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.DispatchAsync());
        Assert.Equal(0, await app.DispatchAsync());

        var mails = smtp.Received.ToList();
        Assert.Equal(2, mails.Count); // at least once: exactly once is impossible past the provider's "ok"
        Assert.Single(mails.Select(m => m.MessageId).Distinct());
        Assert.NotNull(Assert.Single(await app.OutboxAsync()).SentAt);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ThreeDispatchersAtOnce_EachMessageSentOnce(Engine engine)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(engine, smtp);
        await QueueEmailsAsync(app, 30);

        await Task.WhenAll(app.DispatchAsync(), app.DispatchAsync(), app.DispatchAsync());

        var mails = smtp.Received.ToList();
        Assert.Equal(30, mails.Count);
        Assert.Equal(30, mails.Select(m => m.To).Distinct().Count());
        Assert.All(await app.OutboxAsync(), m => Assert.NotNull(m.SentAt));
    }

    private static Task<int> QueueEmailsAsync(HarborApp app, int count) =>
        app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HarborDbContext>();
            var now = app.Clock.GetUtcNow();
            for (var i = 0; i < count; i++)
                db.OutboxMessages.Add(new OutboxMessage
                {
                    Id = Guid.CreateVersion7(now),
                    Key = $"test:{Guid.NewGuid():N}",
                    Kind = "test",
                    Channel = OutboxChannel.Email,
                    Target = $"person{i}@harbor.test",
                    Subject = "测试",
                    Body = $"消息 {i}",
                    CreatedAt = now,
                    DueAt = now,
                });
            return await db.SaveChangesAsync();
        });

    /// <summary>Sends for real, then does something between the send and the mark.</summary>
    private sealed class AfterSend(IMessageSender inner, Action then) : IMessageSender
    {
        public async Task<Delivery> SendAsync(OutboxMessage message, string body, BotTarget? bot, CancellationToken ct)
        {
            var delivery = await inner.SendAsync(message, body, bot, ct);
            then();
            return delivery;
        }
    }
}
