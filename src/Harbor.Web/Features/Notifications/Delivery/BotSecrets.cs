using Microsoft.AspNetCore.DataProtection;

namespace Harbor.Web.Features.Notifications.Delivery;

/// <summary>
/// Bot URLs (they carry the bot's key) and signing secrets, encrypted with ASP.NET Core Data
/// Protection before they reach the database; the keys live in the data folder (SQLite) or the
/// database (PostgreSQL), so every instance can read what another wrote (ADR-009).
/// </summary>
public sealed class BotSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Harbor.Notifications.GroupBot.v1");

    public string Protect(string plain) => _protector.Protect(plain);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
