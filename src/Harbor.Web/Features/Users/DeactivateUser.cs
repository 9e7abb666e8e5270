using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Users;

public sealed record DeactivateResponse(Guid Id, bool IsActive, int CustomersToHandOver);

/// <summary>
/// A leaver is stopped at once: the account cannot sign in, every bearer token is deleted (and a
/// cookie is refused at its next check), and their customers go on the clerk's hand-over list.
/// </summary>
public sealed class DeactivateUser(HarborDbContext db, WriteGate gate, TimeProvider clock, Auth.BearerTokenCache tokens)
{
    public async Task<Result<DeactivateResponse>> HandleAsync(Viewer viewer, Guid userId, CancellationToken ct)
    {
        var result = await db.WriteAsync<DeactivateResponse>(gate, async () =>
        {
            if (viewer.Role != Role.Admin)
                return new Refusal.Forbidden("Only the admin deactivates accounts.");
            if (userId == viewer.Id)
                return new Refusal.Forbidden("An admin does not deactivate their own account.");
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
                return new Refusal.NotFound("user");

            var now = clock.GetUtcNow();
            if (user.IsActive)
            {
                user.IsActive = false;
                user.DeactivatedAt = now;
                user.SlotVersion++;
                db.Audit(now, viewer.Id, AuditActions.UserDeactivated, user.Id, user.Username);
            }

            await db.ApiTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
            var held = await db.Customers.CountAsync(c => c.OwnerId == userId
                && (c.Status == CustomerStatus.Protected || c.Status == CustomerStatus.Signed || c.Status == CustomerStatus.PendingReview), ct);
            return new DeactivateResponse(user.Id, false, held);
        }, ct);
        // Their tokens are deleted; the copies kept in memory go too, now that the deletion is
        // committed (BearerTokenCache: refused from the next request on this instance).
        if (result.Succeeded)
            tokens.Forget();
        return result;
    }
}
