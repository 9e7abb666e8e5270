using System.Security.Claims;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Auth;
using Harbor.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Harbor.Web.Features.Workbook;

public static class WorkbookEndpoints
{
    public static void MapWorkbookEndpoints(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<IOptions<HarborOptions>>().Value.Workbook;
        // The uploads carry files: their own body limit instead of the API's 256 KB for JSON.
        var uploadLimit = new UploadLimit(limits.MaxUploadBytes);
        var api = app.MapGroup("/api").WithTags("Workbook").RequireAuthorization();
        api.MapGet("/workbook", ExportAsync);
        api.MapGet("/me/sheet", MySheetAsync);
        api.MapPost("/workbook/reconcile", ReconcileAsync).RequireAuthorization(Policies.Clerk).WithMetadata(uploadLimit);
        api.MapPost("/workbook/import", ImportAsync).RequireAuthorization(Policies.Admin).WithMetadata(uploadLimit);
        api.MapGet("/workbook/imports", ListImportsAsync).RequireAuthorization(Policies.Admin);
        api.MapGet("/workbook/imports/{id:guid}/report", ImportReportAsync).RequireAuthorization(Policies.Admin);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportAsync(
        HttpRequest request, ClaimsPrincipal user, ExportWorkbook useCase, CancellationToken ct) =>
        File(await useCase.HandleAsync(user.ToViewer(), WorkbookText.LanguageOf(request), ct));

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> MySheetAsync(
        HttpRequest request, ClaimsPrincipal user, ExportMySheet useCase, CancellationToken ct) =>
        File(await useCase.HandleAsync(user.ToViewer(), WorkbookText.LanguageOf(request), ct));

    private static async Task<Results<Ok<ReconcileResponse>, ProblemHttpResult>> ReconcileAsync(
        HttpRequest request, ReconcileWorkbook useCase, IOptions<HarborOptions> options, CancellationToken ct)
    {
        var (book, _) = await ReadUploadAsync(request, options.Value.Workbook, ct);
        if (!book.Succeeded)
            return Problems.From(book.Refusal);
        return TypedResults.Ok(await useCase.HandleAsync(book.Value, ct));
    }

    private static async Task<Results<Ok<ImportReport>, FileStreamHttpResult, ProblemHttpResult>> ImportAsync(
        HttpRequest request, ClaimsPrincipal user, ImportWorkbook useCase, IOptions<HarborOptions> options,
        TimeProvider clock, CompanyCalendar calendar, CancellationToken ct)
    {
        var (book, fileName) = await ReadUploadAsync(request, options.Value.Workbook, ct);
        if (!book.Succeeded)
            return Problems.From(book.Refusal);
        var flags = new ImportRequest(Flag(request, "dryRun"), Flag(request, "skipRejected"), fileName);
        var outcome = await useCase.HandleAsync(user.ToViewer(), book.Value, flags, ct);
        if (outcome.Report.Result == "refused")
        {
            var problem = Problems.Create(StatusCodes.Status409Conflict, "rows-rejected",
                "Some rows were rejected, so nothing was imported: fix them, or import again with skipRejected=true.", null);
            problem.Extensions["report"] = outcome.Report;
            return TypedResults.Problem(problem);
        }

        if (Field(request, "report") is { } format && format.Equals("xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var file = ImportWorkbook.RejectedRows(outcome, WorkbookText.LanguageOf(request), calendar.DayOf(clock.GetUtcNow()));
            return TypedResults.File(file.Content, WorkbookFile.ContentType, file.FileName);
        }

        return TypedResults.Ok(outcome.Report);
    }

    private static async Task<Ok<IReadOnlyList<ImportSummary>>> ListImportsAsync(ListImports useCase, CancellationToken ct) =>
        TypedResults.Ok(await useCase.HandleAsync(ct));

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ImportReportAsync(
        Guid id, HttpRequest request, DownloadImportReport useCase, CancellationToken ct) =>
        File(await useCase.HandleAsync(id, WorkbookText.LanguageOf(request), ct));

    private static Results<FileStreamHttpResult, ProblemHttpResult> File(Result<WorkbookFile> result) => result.Succeeded
        ? TypedResults.File(result.Value.Content, WorkbookFile.ContentType, result.Value.FileName)
        : Problems.From(result.Refusal);

    /// <summary>The multipart field <c>file</c>, checked and read (see <see cref="UploadedWorkbook"/>).</summary>
    private static async Task<(Result<UploadedBook> Book, string? FileName)> ReadUploadAsync(HttpRequest request, WorkbookOptions limits, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return (Refusal.ValidationFailed.Of("file", "Send the workbook as multipart/form-data in the field 'file'."), null);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return (Refusal.ValidationFailed.Of("file", "The multipart body could not be read."), null);
        }

        var file = form.Files.GetFile("file");
        if (file is null)
            return (Refusal.ValidationFailed.Of("file", "The workbook goes in the multipart field 'file'."), null);
        return (UploadedWorkbook.Read(file.OpenReadStream, limits), file.FileName);
    }

    /// <summary>A switch given as a query parameter or a form field: true, 1, yes or on.</summary>
    private static bool Flag(HttpRequest request, string name) =>
        Field(request, name) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value is "1"
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    private static string? Field(HttpRequest request, string name)
    {
        if (request.Query.TryGetValue(name, out var query) && query.Count > 0)
            return query[0];
        return request.HasFormContentType && request.Form.TryGetValue(name, out var form) && form.Count > 0 ? form[0] : null;
    }

    private sealed class UploadLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => bytes;
    }
}
