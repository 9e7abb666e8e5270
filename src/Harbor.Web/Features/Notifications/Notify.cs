using System.Text.Json;
using Harbor.Web.Data;

namespace Harbor.Web.Features.Notifications;

/// <summary>Adds in-app notifications to the current unit of work: they commit with the event.</summary>
public static class Notify
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Notification Create(Guid userId, string kind, object payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        Kind = kind,
        CreatedAt = now,
        Payload = JsonSerializer.Serialize(payload, Json),
    };
}
