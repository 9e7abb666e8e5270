using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Components;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Notifications;

/// <summary>A user's email settings: the address on their account, the language, and the kinds muted.</summary>
public sealed record NotificationSettingsResponse(string? Email, string Culture, IReadOnlyList<string> MutedKinds, IReadOnlyList<string> Kinds);

public sealed record NotificationSettingsRequest(string? Culture, string[]? MutedKinds);

/// <summary>Users may mute email for kinds they don't want (issue 10); in-app notifications stay.</summary>
public sealed class NotificationSettings(HarborDbContext db, WriteGate gate)
{
    public async Task<NotificationSettingsResponse> GetAsync(Viewer viewer, CancellationToken ct)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == viewer.Id).Select(u => u.Email).FirstOrDefaultAsync(ct);
        var preference = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == viewer.Id, ct);
        return new NotificationSettingsResponse(email, preference?.Culture ?? UiSetup.DefaultCulture,
            Outbox.Muted(preference?.MutedKinds), Outbox.EmailKinds);
    }

    public Task<Result<NotificationSettingsResponse>> SaveAsync(Viewer viewer, NotificationSettingsRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var culture = request.Culture ?? UiSetup.DefaultCulture;
        if (!UiSetup.Cultures.Contains(culture))
            errors["culture"] = [$"One of {string.Join(", ", UiSetup.Cultures)}."];
        var muted = (request.MutedKinds ?? []).Distinct().ToArray();
        if (muted.Any(k => !Outbox.EmailKinds.Contains(k)))
            errors["mutedKinds"] = [$"Kinds among {string.Join(", ", Outbox.EmailKinds)}."];
        if (errors.Count > 0)
            return Task.FromResult<Result<NotificationSettingsResponse>>(new Refusal.ValidationFailed(errors));

        return db.WriteAsync<NotificationSettingsResponse>(gate, async () =>
        {
            var preference = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.UserId == viewer.Id, ct);
            if (preference is null)
                preference = db.NotificationPreferences.Add(new NotificationPreference { UserId = viewer.Id, Culture = culture, MutedKinds = "" }).Entity;
            preference.Culture = culture;
            preference.MutedKinds = string.Join(',', muted);
            var email = await db.Users.AsNoTracking().Where(u => u.Id == viewer.Id).Select(u => u.Email).FirstOrDefaultAsync(ct);
            return new NotificationSettingsResponse(email, culture, muted, Outbox.EmailKinds);
        }, ct);
    }
}
