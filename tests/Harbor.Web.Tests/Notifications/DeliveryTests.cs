using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Harbor.Web.Data;
using Harbor.Web.Features.Notifications.Delivery;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Harbor.Web.Tests.Notifications.NotifyTestKit;

namespace Harbor.Web.Tests.Notifications;

/// <summary>Issue 10: the reminder, the publication and the decisions reach people outside Harbor.</summary>
public sealed class DeliveryTests
{
    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reminder_ReachesTheOwnersMailbox_InTheirLanguage_OnceListingAllTheirCustomers(Engine engine)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(engine, smtp);
        var group = await app.CreateGroupAsync();
        var english = await app.SalespersonWithEmailAsync(group, "alice@harbor.test");
        var chinese = await app.SalespersonWithEmailAsync(group, "bo@harbor.test");
        var muted = await app.SalespersonWithEmailAsync(group, "quiet@harbor.test");
        (await english.Client.PutAsJsonAsync("/api/me/notification-settings", new { culture = "en", mutedKinds = Array.Empty<string>() })).EnsureSuccessStatusCode();
        (await muted.Client.PutAsJsonAsync("/api/me/notification-settings", new { culture = "zh-CN", mutedKinds = new[] { "due-tomorrow" } })).EnsureSuccessStatusCode();
        var first = app.UniqueName("提醒甲公司");
        var second = app.UniqueName("提醒乙公司");
        await english.Client.RegisterOkAsync(first, phone: "13912345678");
        await english.Client.RegisterOkAsync(second);
        await chinese.Client.RegisterOkAsync(app.UniqueName("提醒丙公司"));
        await muted.Client.RegisterOkAsync(app.UniqueName("提醒丁公司"));

        app.Clock.SetUtcNow(Local(12, 15, 9, 0));
        await app.SweepAsync();
        await app.SweepAsync();
        Assert.Equal(2, await app.DispatchAsync());
        Assert.Equal(0, await app.DispatchAsync());

        var mails = smtp.Received.ToList();
        Assert.Equal(2, mails.Count);
        var toAlice = Assert.Single(mails, m => m.To == "alice@harbor.test");
        Assert.Equal("[Harbor] Due tomorrow: 2 customer(s)", toAlice.Subject);
        Assert.Contains(first, toAlice.Body);
        Assert.Contains(second, toAlice.Body);
        Assert.Contains("2026-12-16", toAlice.Body);
        Assert.Contains(PublicUrl + "/my-customers", toAlice.Body);
        Assert.DoesNotContain("13912345678", toAlice.Body);
        Assert.DoesNotContain("{harbor}", toAlice.Body);
        var toBo = Assert.Single(mails, m => m.To == "bo@harbor.test");
        Assert.StartsWith("[Harbor] 明天到期：1 个客户", toBo.Subject);
        Assert.DoesNotContain(mails, m => m.To == "quiet@harbor.test");
        Assert.All(await app.OutboxAsync(), m => Assert.NotNull(m.SentAt));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ExtensionDecision_IsMailedToTheRequester(Engine engine)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(engine, smtp);
        var group = await app.CreateGroupAsync();
        var sales = await app.SalespersonWithEmailAsync(group, "asker@harbor.test");
        var manager = await app.CreatePersonAsync("manager", group);
        var name = app.UniqueName("延期公司");
        var customer = await sales.Client.RegisterOkAsync(name);
        var requested = await (await sales.Client.PostAsJsonAsync("/api/extensions", new { customerId = customer, days = 3, reason = "客户出差" })).AssertStatusAsync(HttpStatusCode.Created);
        (await manager.Client.PostAsJsonAsync($"/api/extensions/{requested.GetProperty("id").GetGuid()}/approve", new { comment = "同意" })).EnsureSuccessStatusCode();

        Assert.Equal(1, await app.DispatchAsync());
        var mail = Assert.Single(smtp.Received);
        Assert.Equal("asker@harbor.test", mail.To);
        Assert.Contains(name, mail.Subject);
        Assert.Contains("同意", mail.Body);
        Assert.Contains("2026-12-19", mail.Body);
    }

    [Fact]
    public async Task Emails_OneAfterAnother_ShareOneConnection_AndOneTheServerDroppedIsOpenedAnew()
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(Engine.Sqlite, smtp);
        var group = await app.CreateGroupAsync();
        var manager = await app.CreatePersonAsync("manager", group);
        var mailed = 0;
        async Task ApproveAnExtensionAsync()
        {
            // One extension a month each: every mail goes to another salesperson.
            var sales = await app.SalespersonWithEmailAsync(group, $"asker{++mailed}@harbor.test");
            var customer = await sales.Client.RegisterOkAsync(app.UniqueName("连接公司"));
            var requested = await (await sales.Client.PostAsJsonAsync("/api/extensions", new { customerId = customer, days = 3, reason = "客户出差" })).AssertStatusAsync(HttpStatusCode.Created);
            (await manager.Client.PostAsJsonAsync($"/api/extensions/{requested.GetProperty("id").GetGuid()}/approve", new { comment = "同意" })).EnsureSuccessStatusCode();
        }

        await ApproveAnExtensionAsync();
        await ApproveAnExtensionAsync();
        Assert.Equal(2, await app.DispatchAsync());
        await ApproveAnExtensionAsync();
        Assert.Equal(1, await app.DispatchAsync());
        Assert.Equal(1, smtp.Connections);

        smtp.DropConnections();
        app.Clock.Advance(SmtpSender.CheckAfter);
        await ApproveAnExtensionAsync();
        Assert.Equal(1, await app.DispatchAsync());

        Assert.Equal(4, smtp.Received.Count);
        Assert.Equal(2, smtp.Connections);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task ExtensionTooLate_IsMailedToTheRequesterAsItsOutcome(Engine engine)
    {
        await using var smtp = new FakeSmtpServer();
        await using var app = await StartAsync(engine, smtp);
        var group = await app.CreateGroupAsync();
        var sales = await app.SalespersonWithEmailAsync(group, "late@harbor.test");
        var name = app.UniqueName("迟到公司");
        var customer = await sales.Client.RegisterOkAsync(name);
        (await sales.Client.PostAsJsonAsync("/api/extensions", new { customerId = customer, days = 3, reason = "客户出差" })).EnsureSuccessStatusCode();

        // Nobody decides before the due day's 10:00: the sweep releases the customer and the request is too late.
        app.Clock.SetUtcNow(Local(12, 16, 10));
        await app.SweepAsync();
        await app.DispatchAsync();

        var mail = Assert.Single(smtp.Received, m => m.Subject.Contains("太晚", StringComparison.Ordinal));
        Assert.Equal("late@harbor.test", mail.To);
        Assert.Contains(name, mail.Subject);
        Assert.Contains("3 天", mail.Body);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Publication_OneSignedMessagePerGroupBot_FeishuKeepsOffTen(Engine engine)
    {
        await using var app = await StartAsync(engine, null);
        await using var bots = await FakeBots.StartAsync(app.Clock);
        var wecom = await app.CreateGroupAsync();
        var dingtalk = await app.CreateGroupAsync();
        var feishu = await app.CreateGroupAsync();
        await app.SetBotAsync(wecom, "wecom", bots.Url("wecom?key=wecom-key"));
        await app.SetBotAsync(dingtalk, "dingtalk", bots.Url("dingtalk?access_token=ding-token"), "SECding-secret");
        await app.SetBotAsync(feishu, "feishu", bots.Url("feishu"), "feishu-secret");
        var owner = await app.CreatePersonAsync("salesperson", wecom);
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            names.Add(app.UniqueName("发布公司"));
            await owner.Client.RegisterOkAsync(names[^1], phone: $"1391234567{i}");
        }

        app.Clock.SetUtcNow(Local(12, 16, 10, 0, 5));
        await app.SweepAsync();
        Assert.Equal(2, await app.DispatchAsync());
        var waiting = Assert.Single(await app.OutboxAsync(), m => m.SentAt is null);
        Assert.Equal(OutboxChannel.Feishu, waiting.Channel);
        Assert.InRange(waiting.DueAt, Local(12, 16, 10, 1), Local(12, 16, 10, 5));
        app.Clock.SetUtcNow(Local(12, 16, 10, 5));
        Assert.Equal(1, await app.DispatchAsync());
        await app.SweepAsync();
        Assert.Equal(0, await app.DispatchAsync());

        var toWecom = Assert.Single(bots.To("wecom"));
        using var wecomBody = JsonDocument.Parse(toWecom.Body);
        Assert.Equal("markdown", wecomBody.RootElement.GetProperty("msgtype").GetString());
        var wecomText = wecomBody.RootElement.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.All(names, n => Assert.Contains(n, wecomText));
        Assert.Contains(PublicUrl + "/pool", wecomText);
        Assert.DoesNotContain("1391234567", wecomText);

        // DingTalk: timestamp (ms) and sign = base64(HmacSHA256(key: secret, "timestamp\nsecret")) in the query.
        var toDingtalk = Assert.Single(bots.To("dingtalk"));
        var query = HttpUtility.ParseQueryString(toDingtalk.Query);
        Assert.Equal("ding-token", query["access_token"]);
        var timestamp = query["timestamp"]!;
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(-5).AddSeconds(5).ToUnixTimeMilliseconds().ToString(), timestamp);
        Assert.Equal(Hmac("SECding-secret", $"{timestamp}\nSECding-secret"), query["sign"]);
        using var dingBody = JsonDocument.Parse(toDingtalk.Body);
        Assert.All(names, n => Assert.Contains(n, dingBody.RootElement.GetProperty("markdown").GetProperty("text").GetString()!));

        // Feishu: timestamp (s) and sign = base64(HmacSHA256(key: "timestamp\nsecret", empty)) in the body; not in the minute of 10:00.
        var toFeishu = Assert.Single(bots.To("feishu"));
        Assert.True(toFeishu.At >= Local(12, 16, 10, 1));
        using var feishuBody = JsonDocument.Parse(toFeishu.Body);
        var feishuTimestamp = feishuBody.RootElement.GetProperty("timestamp").GetString()!;
        Assert.Equal(Hmac($"{feishuTimestamp}\nfeishu-secret", ""), feishuBody.RootElement.GetProperty("sign").GetString());
        Assert.Equal("text", feishuBody.RootElement.GetProperty("msg_type").GetString());
        Assert.All(names, n => Assert.Contains(n, feishuBody.RootElement.GetProperty("content").GetProperty("text").GetString()!));
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task BotUrlAndSecret_AreStoredEncrypted_AndNeverAnswered(Engine engine)
    {
        await using var app = await StartAsync(engine, null);
        var group = await app.CreateGroupAsync();
        using var admin = await app.AdminAsync();
        var set = await (await admin.PutAsJsonAsync($"/api/groups/{group}/bot",
            new { kind = "feishu", url = "https://open.feishu.cn/open-apis/bot/v2/hook/hook-token-123", secret = "very-secret-456" })).AssertStatusAsync(HttpStatusCode.OK);
        var overview = await admin.GetStringAsync("/api/admin/notifications");

        foreach (var answer in new[] { set.GetRawText(), overview })
        {
            Assert.DoesNotContain("hook-token-123", answer);
            Assert.DoesNotContain("very-secret-456", answer);
        }

        Assert.True(set.GetProperty("hasSecret").GetBoolean());
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/…", set.GetProperty("urlHint").GetString());
        var row = await app.InScopeAsync(async s => await s.GetRequiredService<HarborDbContext>().GroupBots.AsNoTracking().SingleAsync(b => b.GroupId == group));
        Assert.DoesNotContain("hook-token-123", row.ProtectedUrl);
        Assert.DoesNotContain("very-secret-456", row.ProtectedSecret!);
        var audit = await app.InScopeAsync(async s => await s.GetRequiredService<HarborDbContext>().AuditEntries.AsNoTracking()
            .Where(a => a.SubjectId == group).Select(a => a.Details).ToListAsync());
        Assert.DoesNotContain(audit, d => d != null && (d.Contains("hook-token-123") || d.Contains("very-secret-456")));
        // Another scope (another instance, as far as the keys go) reads it back.
        var url = await app.InScopeAsync(s => Task.FromResult(s.GetRequiredService<BotSecrets>().Unprotect(row.ProtectedUrl)));
        Assert.Equal("https://open.feishu.cn/open-apis/bot/v2/hook/hook-token-123", url);
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task SetBot_MalformedUrlOrKind_Is400(Engine engine)
    {
        await using var app = await StartAsync(engine, null, allowPrivate: false);
        var group = await app.CreateGroupAsync();
        using var admin = await app.AdminAsync();
        foreach (var body in new object[]
        {
            new { kind = "wecom", url = "not a url" },
            new { kind = "wecom", url = "ftp://example.com/hook" },
            new { kind = "slack", url = "https://example.com/hook" },
            new { kind = "wecom", url = "https://127.0.0.1/hook" },
            new { kind = "wecom", url = "https://169.254.169.254/latest/meta-data" },
            new { kind = "wecom", url = "https://localhost/hook" },
        })
            await (await admin.PutAsJsonAsync($"/api/groups/{group}/bot", body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await admin.PutAsJsonAsync($"/api/groups/{Guid.NewGuid()}/bot", new { kind = "wecom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        (await admin.PutAsJsonAsync($"/api/groups/{group}/bot", new { kind = "wecom", url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" })).EnsureSuccessStatusCode();
        (await admin.DeleteAsync($"/api/groups/{group}/bot")).EnsureSuccessStatusCode();
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Settings_MuteKinds_AndRefuseUnknownOnes(Engine engine)
    {
        await using var app = await StartAsync(engine, null);
        var person = await app.SalespersonWithEmailAsync(await app.CreateGroupAsync(), "me@harbor.test");
        var before = await (await person.Client.GetAsync("/api/me/notification-settings")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("me@harbor.test", before.GetProperty("email").GetString());
        Assert.Equal("zh-CN", before.GetProperty("culture").GetString());
        Assert.Equal(0, before.GetProperty("mutedKinds").GetArrayLength());
        var saved = await (await person.Client.PutAsJsonAsync("/api/me/notification-settings", new { culture = "en", mutedKinds = new[] { "extension-decided" } }))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("extension-decided", saved.GetProperty("mutedKinds")[0].GetString());
        await (await person.Client.PutAsJsonAsync("/api/me/notification-settings", new { culture = "fr", mutedKinds = new[] { "nonsense" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var after = await (await person.Client.GetAsync("/api/me/notification-settings")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("en", after.GetProperty("culture").GetString());
    }

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Failure_IsShownWithTheProvidersAnswer_RetriedWithBackoff_AndRetriedByTheAdmin(Engine engine)
    {
        await using var app = await StartAsync(engine, null, more: new Dictionary<string, string?> { ["Harbor:Notifications:Dispatcher:MaxAttempts"] = "2" });
        await using var bots = await FakeBots.StartAsync(app.Clock);
        bots.Answer = _ => (502, "<html>upstream exploded</html>");
        var group = await app.CreateGroupAsync();
        await app.SetBotAsync(group, "wecom", bots.Url("broken?key=k"));
        var owner = await app.CreatePersonAsync("salesperson", group);
        await owner.Client.RegisterOkAsync(app.UniqueName("失败公司"));
        app.Clock.SetUtcNow(Local(12, 16, 10, 0));
        await app.SweepAsync();

        Assert.Equal(0, await app.DispatchAsync());
        Assert.Equal(0, await app.DispatchAsync()); // backing off: not due yet
        Assert.Single(bots.Received);
        app.Clock.Advance(TimeSpan.FromSeconds(35));
        Assert.Equal(0, await app.DispatchAsync());
        Assert.Equal(2, bots.Received.Count);

        using var admin = await app.AdminAsync();
        var overview = await (await admin.GetAsync("/api/admin/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        var failure = Assert.Single(overview.GetProperty("failures").EnumerateArray());
        Assert.Equal(502, failure.GetProperty("lastStatus").GetInt32());
        Assert.Contains("upstream exploded", failure.GetProperty("lastError").GetString());
        Assert.True(failure.GetProperty("gaveUp").GetBoolean());
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await app.DispatchAsync()); // given up: no more attempts on its own

        bots.Answer = _ => (200, "{\"errcode\":0}");
        (await admin.PostAsync($"/api/admin/notifications/{failure.GetProperty("id").GetGuid()}/retry", null)).EnsureSuccessStatusCode();
        Assert.Equal(1, await app.DispatchAsync());
        var cleared = await (await admin.GetAsync("/api/admin/notifications")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(0, cleared.GetProperty("failures").GetArrayLength());
    }

    private static string Hmac(string key, string message)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(key));
        return Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(message)));
    }
}
