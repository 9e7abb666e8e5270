using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// Rule 5: a salesperson's own follow-up sheet as the master has it, the same columns as the
/// master workbook. Their own customers, so nothing is masked; the download is on the audit trail.
/// </summary>
public sealed class ExportMySheet(HarborDbContext db, WriteGate gate, TimeProvider clock, CompanyCalendar calendar, IOptions<HarborOptions> options)
{
    public async Task<Result<WorkbookFile>> HandleAsync(Viewer viewer, SheetLanguage language, CancellationToken ct)
    {
        if (viewer.Role != Role.Salesperson)
            return new Refusal.Forbidden("Only salespeople have a sheet.");
        if (!options.Value.Workbook.OwnSheetExport)
            return new Refusal.Forbidden("Downloading your sheet is turned off.");

        var owner = (await MasterSheets.OwnersAsync(db, ct)).FirstOrDefault(o => o.Id == viewer.Id);
        if (owner is null)
            return new Refusal.NotFound("salesperson");
        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var file = MasterSheets.TemporaryFile();
        try
        {
            int rows;
            using (var workbook = new XlsxWriter(file))
            {
                var columns = WorkbookText.Columns(language);
                var cells = new XlsxCell[columns.Count];
                var sheet = workbook.AddSheet(owner.SheetName, columns);
                foreach (var row in await MasterSheets.SheetOfAsync(db, owner, ct))
                {
                    MasterSheets.Fill(cells, row, masked: false, today, language);
                    sheet.WriteRow(cells);
                }

                sheet.Done();
                rows = sheet.Rows;
                workbook.Finish();
            }

            await db.WriteAsync(gate, () =>
            {
                db.Audit(now, viewer.Id, AuditActions.Export, viewer.Id, $"own sheet: {rows} rows");
                return Task.FromResult(Result<int>.Ok(rows));
            }, ct);
            file.Position = 0;
            return new WorkbookFile(file, $"harbor-sheet-{today:yyyy-MM-dd}.xlsx", rows);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
