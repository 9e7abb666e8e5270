using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Workbook;

/// <summary>A kept import report as a workbook, in the language of whoever downloads it (admin only).</summary>
public sealed class DownloadImportReport(HarborDbContext db, CompanyCalendar calendar)
{
    public async Task<Result<WorkbookFile>> HandleAsync(Guid id, SheetLanguage language, CancellationToken ct)
    {
        var record = await db.ImportRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (record is null)
            return new Refusal.NotFound("import");
        var report = ImportReports.Decompress(record.Report) with { ReportId = record.Id };
        var day = calendar.DayOf(record.At);
        return ImportReports.Render(report, calendar.ToLocal(record.At), language, $"harbor-import-{record.Result}-{day:yyyy-MM-dd}-{record.Id.ToString("N")[..8]}.xlsx");
    }
}
