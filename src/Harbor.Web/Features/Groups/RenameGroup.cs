using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Groups;

/// <summary>The admin renames a sales group; its members and customers stay as they are.</summary>
public sealed class RenameGroup(HarborDbContext db, WriteGate gate, TimeProvider clock, Http.Actor actor, Registry.RegistryOwners owners)
{
    public async Task<Result<GroupResponse>> HandleAsync(Guid groupId, CreateGroupRequest request, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > Group.MaxNameLength)
            return Refusal.ValidationFailed.Of("name", $"A group name has 1 to {Group.MaxNameLength} characters.");

        var result = await db.WriteAsync<GroupResponse>(gate, async () =>
        {
            var group = await db.Groups.FirstOrDefaultAsync(g => g.Id == groupId, ct);
            if (group is null)
                return new Refusal.NotFound("group");
            if (await db.Groups.AnyAsync(g => g.Name == name && g.Id != groupId, ct))
                return new Refusal.AlreadyExists("name");
            group.Name = name;
            db.Audit(clock.GetUtcNow(), actor.Id, AuditActions.SettingChanged, group.Id, $"group renamed: {group.Name}");
            return new GroupResponse(group.Id, group.Name);
        }, ct);
        // The registry's owners (RegistryOwners) carry the group's old name.
        if (result.Succeeded)
            owners.Forget();
        return result;
    }
}
