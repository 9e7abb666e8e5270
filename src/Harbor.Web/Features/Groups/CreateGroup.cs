using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Groups;

public sealed record CreateGroupRequest(string? Name);

public sealed record GroupResponse(Guid Id, string Name);

public sealed class CreateGroup(HarborDbContext db, WriteGate gate, TimeProvider clock, Http.Actor actor)
{
    public Task<Result<GroupResponse>> HandleAsync(CreateGroupRequest request, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > Group.MaxNameLength)
            return Task.FromResult<Result<GroupResponse>>(Refusal.ValidationFailed.Of("name", $"A group name has 1 to {Group.MaxNameLength} characters."));

        return db.WriteAsync<GroupResponse>(gate, async () =>
        {
            if (await db.Groups.AnyAsync(g => g.Name == name, ct))
                return new Refusal.AlreadyExists("name");
            var now = clock.GetUtcNow();
            var group = new Group { Id = Guid.CreateVersion7(now), Name = name, CreatedAt = now };
            db.Groups.Add(group);
            db.Audit(now, actor.Id, AuditActions.GroupCreated, group.Id, group.Name);
            return new GroupResponse(group.Id, group.Name);
        }, ct);
    }
}
