using System.Security.Cryptography;
using Harbor.Domain.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Data;

/// <summary>The first start of an empty database creates the <c>admin</c> account.</summary>
public static class Bootstrap
{
    public static async Task EnsureAdminAsync(HarborDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, string? configuredPassword, ILogger logger, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct))
            return;
        var generated = string.IsNullOrEmpty(configuredPassword);
        var password = generated ? GeneratePassword() : configuredPassword!;
        var now = clock.GetUtcNow();
        var admin = new User
        {
            Id = Guid.CreateVersion7(now),
            Username = "admin",
            UsernameKey = "admin",
            DisplayName = "Administrator",
            Role = Role.Admin,
            PasswordHash = "",
            CreatedAt = now,
        };
        admin.PasswordHash = hasher.HashPassword(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync(ct);
        if (generated)
            logger.LogWarning("Created the 'admin' account with the generated password {Password}. It is shown once: sign in and keep it safe, or set Harbor:Bootstrap:AdminPassword.", password);
        else
            logger.LogInformation("Created the 'admin' account with the password from Harbor:Bootstrap:AdminPassword.");
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}
