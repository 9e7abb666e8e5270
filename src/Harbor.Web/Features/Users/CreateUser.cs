using System.Text.RegularExpressions;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Group = Harbor.Web.Data.Group;

namespace Harbor.Web.Features.Users;

public sealed record CreateUserRequest(string? Username, string? Password, string? DisplayName, Role? Role, Guid? GroupId, string? Email);

public sealed record UserResponse(Guid Id, string Username, string DisplayName, Role Role, Guid? GroupId, string? GroupName, string? Email, bool IsActive);

/// <summary>The admin creates an account with one role; salespeople and managers belong to a group.</summary>
public sealed partial class CreateUser(HarborDbContext db, WriteGate gate, TimeProvider clock, IPasswordHasher<User> hasher, Http.Actor actor)
{
    public const int MinPasswordLength = 8;

    public Task<Result<UserResponse>> HandleAsync(CreateUserRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var username = request.Username?.Trim() ?? "";
        if (!UsernamePattern().IsMatch(username))
            errors["username"] = [$"A username has 1 to {User.MaxUsernameLength} letters, digits or . _ - @."];
        if (PasswordProblem(request.Password) is { } passwordProblem)
            errors["password"] = [passwordProblem];
        var displayName = request.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > User.MaxDisplayNameLength)
            errors["displayName"] = [$"A display name has 1 to {User.MaxDisplayNameLength} characters."];
        if (request.Role is null)
            errors["role"] = ["A role is required: salesperson, clerk, manager, director or admin."];
        if (request.Role is Role.Salesperson or Role.Manager && request.GroupId is null)
            errors["groupId"] = ["Salespeople and managers belong to a group."];
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > User.MaxEmailLength || !EmailPattern().IsMatch(email)))
            errors["email"] = ["Not an email address."];
        if (errors.Count > 0)
            return Task.FromResult<Result<UserResponse>>(new Refusal.ValidationFailed(errors));

        return db.WriteAsync<UserResponse>(gate, async () =>
        {
            var key = username.ToLowerInvariant();
            if (await db.Users.AnyAsync(u => u.UsernameKey == key, ct))
                return new Refusal.AlreadyExists("username");
            Group? group = null;
            if (request.GroupId is { } groupId && (group = await db.Groups.FindAsync([groupId], ct)) is null)
                return Refusal.ValidationFailed.Of("groupId", "No such group.");

            var now = clock.GetUtcNow();
            var user = new User
            {
                Id = Guid.CreateVersion7(now),
                Username = username,
                UsernameKey = key,
                DisplayName = displayName!,
                Role = request.Role!.Value,
                GroupId = group?.Id,
                Email = email,
                PasswordHash = "",
                CreatedAt = now,
            };
            user.PasswordHash = hasher.HashPassword(user, request.Password!);
            db.Users.Add(user);
            db.Audit(now, actor.Id, AuditActions.UserCreated, user.Id, $"{user.Username} ({user.Role})");
            return new UserResponse(user.Id, user.Username, user.DisplayName, user.Role, user.GroupId, group?.Name, user.Email, user.IsActive);
        }, ct);
    }

    /// <summary>A minimum strength: long enough, and not a single kind of character.</summary>
    public static string? PasswordProblem(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
            return $"A password has at least {MinPasswordLength} characters.";
        if (password.Length > 128)
            return "A password has at most 128 characters.";
        var kinds = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return kinds >= 2 ? null : "A password mixes at least two of: lower case, upper case, digits, symbols.";
    }

    public static bool IsEmail(string text) => EmailPattern().IsMatch(text);

    [GeneratedRegex(@"^[\p{L}\p{N}._@-]{1,64}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
