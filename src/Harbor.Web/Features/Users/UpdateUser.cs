using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;
using Group = Harbor.Web.Data.Group;

namespace Harbor.Web.Features.Users;

public sealed record UpdateUserRequest(string? DisplayName, Role? Role, Guid? GroupId, string? Email);

/// <summary>
/// The admin corrects an account: display name, role, group, email. Username and password are
/// not edited here. A salesperson who still holds customers keeps the salesperson role: their
/// customers would otherwise have an owner who cannot hold them.
/// </summary>
public sealed class UpdateUser(HarborDbContext db, WriteGate gate, TimeProvider clock, Http.Actor actor, Auth.BearerTokenCache tokens,
    Registry.RegistryOwners owners)
{
    public async Task<Result<UserResponse>> HandleAsync(Guid userId, UpdateUserRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var displayName = request.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > User.MaxDisplayNameLength)
            errors["displayName"] = [$"A display name has 1 to {User.MaxDisplayNameLength} characters."];
        if (request.Role is null)
            errors["role"] = ["A role is required: salesperson, clerk, manager, director or admin."];
        if (request.Role is Role.Salesperson or Role.Manager && request.GroupId is null)
            errors["groupId"] = ["Salespeople and managers belong to a group."];
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > User.MaxEmailLength || !CreateUser.IsEmail(email)))
            errors["email"] = ["Not an email address."];
        if (errors.Count > 0)
            return new Refusal.ValidationFailed(errors);

        var result = await db.WriteAsync<UserResponse>(gate, async () =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
                return new Refusal.NotFound("user");
            Group? group = null;
            if (request.GroupId is { } groupId && (group = await db.Groups.FindAsync([groupId], ct)) is null)
                return Refusal.ValidationFailed.Of("groupId", "No such group.");
            if (user.Role == Role.Salesperson && request.Role != Role.Salesperson
                && await db.Customers.AnyAsync(c => c.OwnerId == user.Id && c.Status != CustomerStatus.InPool && c.Status != CustomerStatus.PendingPublication, ct))
                return Refusal.ValidationFailed.Of("role", "This salesperson still holds customers: hand them over first.");
            if (user.Role == Role.Admin && request.Role != Role.Admin
                && !await db.Users.AnyAsync(u => u.Role == Role.Admin && u.IsActive && u.Id != user.Id, ct))
                return Refusal.ValidationFailed.Of("role", "Harbor needs at least one active admin.");

            user.DisplayName = displayName!;
            user.Role = request.Role!.Value;
            user.GroupId = group?.Id;
            user.Email = email;
            // A new group changes who may see this salesperson's customers: bump the slot token so that
            // a registration racing this change re-reads the account.
            user.SlotVersion++;
            db.Audit(clock.GetUtcNow(), actor.Id, AuditActions.SettingChanged, user.Id, $"account edited: {user.Username} ({user.Role})");
            return new UserResponse(user.Id, user.Username, user.DisplayName, user.Role, user.GroupId, group?.Name, user.Email, user.IsActive);
        }, ct);
        // The bearer tokens kept in memory carry the old role and group: drop them, now committed.
        // The registry's owner names (RegistryOwners) carry the old name and group.
        if (result.Succeeded)
        {
            tokens.Forget();
            owners.Forget();
        }

        return result;
    }
}
