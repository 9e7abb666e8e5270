using System.Globalization;
using System.Threading.Channels;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web.Data;
using Harbor.Web.Features.Auth;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Workbook;

/// <summary>
/// Rule 5: the clerk's master workbook, a summary sheet and one sheet per salesperson. Whoever
/// may export is a setting (Harbor:Workbook:ExportRoles); contacts of customers the exporter may
/// not read are masked; every export is on the audit trail with its row count (issue 3).
/// </summary>
public sealed class ExportWorkbook(HarborDbContext db, WriteGate gate, TimeProvider clock, PolicySettings policy, CompanyCalendar calendar,
    IOptions<HarborOptions> options)
{
    public async Task<Result<WorkbookFile>> HandleAsync(Viewer viewer, SheetLanguage language, CancellationToken ct)
    {
        var settings = options.Value.Workbook;
        if (!settings.ExportRoles.Contains(viewer.Role.ClaimValue(), StringComparer.OrdinalIgnoreCase))
            return new Refusal.Forbidden("You may not export the master workbook.");

        var now = clock.GetUtcNow();
        var today = calendar.DayOf(now);
        var owners = await MasterSheets.OwnersAsync(db, ct);
        var file = MasterSheets.TemporaryFile();
        var rows = 0;
        try
        {
            var summary = new List<(SheetOwner Owner, int Protected, int Signed, int DueTomorrow)>(owners.Count);
            using (var workbook = new XlsxWriter(file))
            {
                var columns = WorkbookText.Columns(language);
                var cells = new XlsxCell[columns.Count];
                SheetOwner? current = null;
                XlsxWriter.SheetWriter? sheet = null;
                int held = 0, signed = 0, dueTomorrow = 0;

                void Close()
                {
                    if (current is null || sheet is null)
                        return;
                    sheet.Done();
                    summary.Add((current, held, signed, dueTomorrow));
                    rows += sheet.Rows;
                    held = signed = dueTomorrow = 0;
                }

                // Reading the next page and writing this one overlap: the database and the
                // compressor each get a core, and at most two pages are in memory. Only the
                // reading task touches the DbContext until it has finished.
                var pages = Channel.CreateBounded<(SheetOwner Owner, IReadOnlyList<SheetRow> Rows)>(
                    new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var reading = Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var page in MasterSheets.PagesAsync(db, owners, settings.ExportPageSize, stop.Token))
                            await pages.Writer.WriteAsync(page, stop.Token);
                        pages.Writer.Complete();
                    }
                    catch (Exception e)
                    {
                        pages.Writer.TryComplete(e);
                    }
                }, CancellationToken.None);

                try
                {
                    await foreach (var (owner, rowsOfOwner) in pages.Reader.ReadAllAsync(ct))
                    {
                        Close();
                        current = owner;
                        sheet = workbook.AddSheet(owner.SheetName, columns);
                        var masked = !CustomerAccess.CanRead(viewer, owner.Id, owner.GroupId);
                        foreach (var row in rowsOfOwner)
                        {
                            MasterSheets.Fill(cells, row, masked, today, language);
                            sheet.WriteRow(cells);
                            held += row.Status.UsesSlot() ? 1 : 0;
                            signed += row.Status == CustomerStatus.Signed ? 1 : 0;
                            dueTomorrow += row.Status.UsesSlot() && row.DueOn == today.AddDays(1) ? 1 : 0;
                        }
                    }
                }
                finally
                {
                    // A failed write must not leave the reader waiting on a full channel.
                    await stop.CancelAsync();
                    await reading;
                }

                Close();
                WriteSummary(workbook, summary, language);
                workbook.Finish();
            }

            await db.WriteAsync(gate, () =>
            {
                db.Audit(now, viewer.Id, AuditActions.Export, null, $"master workbook: {rows} rows");
                return Task.FromResult(Result<int>.Ok(rows));
            }, ct);
            file.Position = 0;
            return new WorkbookFile(file, $"harbor-master-{today:yyyy-MM-dd}.xlsx", rows);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Written last so that it counts exactly the rows exported, and listed first.</summary>
    private void WriteSummary(XlsxWriter workbook, List<(SheetOwner Owner, int Protected, int Signed, int DueTomorrow)> summary, SheetLanguage language)
    {
        var sheet = workbook.AddSheet(WorkbookText.SummaryName(language), WorkbookText.SummaryColumns(language), order: 0);
        foreach (var (owner, held, signed, dueTomorrow) in summary)
            sheet.WriteRow([
                XlsxCell.Of(owner.DisplayName), XlsxCell.Of(owner.Group), XlsxCell.Of(owner.SheetName),
                XlsxCell.Of(held), XlsxCell.Of(policy.SlotLimit), XlsxCell.Of(signed), XlsxCell.Of(dueTomorrow),
            ]);
        sheet.WriteRow([
            XlsxCell.Of(WorkbookText.Total(language)), XlsxCell.Empty, XlsxCell.Of(summary.Count.ToString(CultureInfo.InvariantCulture)),
            XlsxCell.Of(summary.Sum(s => s.Protected)), XlsxCell.Of(policy.SlotLimit * summary.Count), XlsxCell.Of(summary.Sum(s => s.Signed)),
            XlsxCell.Of(summary.Sum(s => s.DueTomorrow)),
        ]);
        sheet.Done();
    }
}
