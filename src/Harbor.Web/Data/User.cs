using Harbor.Domain.Access;

namespace Harbor.Web.Data;

/// <summary>An account: who is who. A salesperson's slots are counted from the customers they hold.</summary>
public sealed class User
{
    public const int MaxUsernameLength = 64;
    public const int MaxDisplayNameLength = 100;
    public const int MaxEmailLength = 254;

    public Guid Id { get; set; }
    public required string Username { get; set; }

    /// <summary>Lower-cased username: sign-in is case-insensitive and unique on it.</summary>
    public required string UsernameKey { get; set; }

    public required string DisplayName { get; set; }
    public Role Role { get; set; }
    public Guid? GroupId { get; set; }
    public Group? Group { get; set; }
    public string? Email { get; set; }
    public required string PasswordHash { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Bumped by every change to this salesperson's slots. Two requests that both saw a free slot
    /// cannot both commit: the second loses on this token and is re-run (ADR-003).
    /// </summary>
    public int SlotVersion { get; set; }

    /// <summary>Failed sign-ins in a row; ten lock the account for fifteen minutes.</summary>
    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset? DeactivatedAt { get; set; }

    public Viewer AsViewer() => new(Id, Role, GroupId);
}

public sealed class Group
{
    public const int MaxNameLength = 100;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An issued bearer token. Only its SHA-256 is stored; revoking is deleting the row.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public required string TokenHash { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
