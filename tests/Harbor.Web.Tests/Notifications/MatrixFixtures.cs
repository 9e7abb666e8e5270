using Harbor.Web.Data;
using Harbor.Web.Features.Notifications.Delivery;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Notifications;

/// <summary>Targets for the access matrix's notification rows.</summary>
public static class MatrixFixtures
{
    /// <summary>
    /// A group whose bot points at a documentation address (192.0.2.1): the guard refuses it before
    /// any connection, so testing it never leaves the machine.
    /// </summary>
    public static async Task<Guid> GroupWithBotAsync(HarborApp app)
    {
        var group = await app.CreateGroupAsync();
        await app.StoreBotAsync(group, OutboxChannel.WeCom, "https://192.0.2.1/cgi-bin/webhook/send?key=matrix");
        return group;
    }

    public static Task<Guid> FailedMessageAsync(HarborApp app) =>
        app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HarborDbContext>();
            var now = s.GetRequiredService<TimeProvider>().GetUtcNow();
            var message = new OutboxMessage
            {
                Id = Guid.NewGuid(),
                Key = $"matrix:{Guid.NewGuid():N}",
                Kind = "test",
                Channel = OutboxChannel.Email,
                Target = "nobody@harbor.test",
                Subject = "矩阵",
                Body = "矩阵",
                CreatedAt = now,
                DueAt = now.AddYears(1),
                Attempts = 8,
                GaveUpAt = now,
                LastStatus = 550,
                LastError = "550 no such user",
            };
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
            return message.Id;
        });
}
