using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Users;

/// <summary>
/// The admin switches a leaver's account off. Their bearer tokens are deleted in the same
/// transaction, so the API refuses them at once (ADR-004); a web session ends at its next check,
/// within a minute. Nothing else changes here: handing their customers over is the access-control
/// issue's hand-over list.
/// </summary>
public sealed class DeactivateUser(HarborDbContext db, WriteGate gate)
{
    public Task<Result<UserResponse>> HandleAsync(Viewer admin, Guid userId, CancellationToken ct) =>
        db.WriteAsync<UserResponse>(gate, async () =>
        {
            if (userId == admin.Id)
                return new Refusal.Forbidden("An admin does not deactivate their own account.");
            var user = await db.Users.Include(u => u.Group).FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
                return new Refusal.NotFound("user");

            user.IsActive = false;
            db.ApiTokens.RemoveRange(await db.ApiTokens.Where(t => t.UserId == userId).ToListAsync(ct));
            return new UserResponse(user.Id, user.Username, user.DisplayName, user.Role, user.GroupId, user.Group?.Name, user.Email, user.IsActive);
        }, ct);
}
