using System.Net;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications.Delivery;
using Harbor.Web.Tests.Infrastructure;
using static Harbor.Web.Tests.Notifications.NotifyTestKit;

namespace Harbor.Web.Tests.Notifications;

/// <summary>The SSRF guard: webhooks reach public addresses only, unless AllowPrivateTargets is on.</summary>
public sealed class GuardTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("101.226.4.6", true)]
    [InlineData("2408:8000::1", true)]
    public void IsPublic_PrivateLoopbackLinkLocalAndCgnat_AreNot(string address, bool expected) =>
        Assert.Equal(expected, TargetGuard.IsPublic(IPAddress.Parse(address)));

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task PrivateTargets_AreRefusedAtSendTime_WhenNotAllowed(Engine engine)
    {
        await using var app = await StartAsync(engine, null, allowPrivate: false);
        await using var bots = await FakeBots.StartAsync(app.Clock);
        var literal = await app.CreateGroupAsync();
        var named = await app.CreateGroupAsync();
        await app.StoreBotAsync(literal, OutboxChannel.WeCom, bots.Url("literal"));
        await app.StoreBotAsync(named, OutboxChannel.WeCom, bots.Url("named").Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        var owner = await app.CreatePersonAsync("salesperson", literal);
        await owner.Client.RegisterOkAsync(app.UniqueName("守卫公司"));
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        await app.SweepAsync();

        Assert.Equal(0, await app.DispatchAsync());

        Assert.Empty(bots.Received);
        var messages = await app.OutboxAsync();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m =>
        {
            Assert.NotNull(m.GaveUpAt); // a refused target is not retried
            Assert.Contains("not a public address", m.LastError);
        });
    }
}
