using Harbor.Domain.Access;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Users;

/// <summary>Who is who: the accounts, optionally only one role or one group, by display name.</summary>
public sealed class ListUsers(HarborDbContext db)
{
    public async Task<UserResponse[]> HandleAsync(Role? role, Guid? groupId, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking();
        if (role is { } r)
            users = users.Where(u => u.Role == r);
        if (groupId is { } g)
            users = users.Where(u => u.GroupId == g);
        return await users.OrderBy(u => u.Username)
            .Select(u => new UserResponse(u.Id, u.Username, u.DisplayName, u.Role, u.GroupId, u.Group!.Name, u.Email, u.IsActive))
            .ToArrayAsync(ct);
    }
}
