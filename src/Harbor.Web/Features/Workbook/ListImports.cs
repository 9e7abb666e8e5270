using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Workbook;

/// <summary>A kept import report, without its rows.</summary>
public sealed record ImportSummary(Guid Id, DateTimeOffset At, Guid? ActorId, string? Actor, string? FileName, string Result, int Imported, int Rejected, int Sheets);

/// <summary>The imports run so far, newest first, each with a report to download (admin only).</summary>
public sealed class ListImports(HarborDbContext db)
{
    public const int MaxListed = 100;

    public async Task<IReadOnlyList<ImportSummary>> HandleAsync(CancellationToken ct)
    {
        var records = await db.ImportRecords.AsNoTracking()
            .OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(MaxListed)
            .Select(r => new { r.Id, r.At, r.ActorId, r.FileName, r.Result, r.Imported, r.Rejected, r.Sheets })
            .ToListAsync(ct);
        var actorIds = records.Select(r => r.ActorId).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. records.Select(r => new ImportSummary(r.Id, r.At, r.ActorId, r.ActorId is { } id ? names.GetValueOrDefault(id) : null,
            r.FileName, r.Result, r.Imported, r.Rejected, r.Sheets))];
    }
}
