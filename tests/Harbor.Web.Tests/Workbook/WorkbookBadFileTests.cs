using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Workbook;

/// <summary>
/// Bad files are refused with a clear 4xx problem, by the reconciliation and the import alike,
/// and change nothing. The archive limit is lowered here so the bomb stays quick to build.
/// </summary>
public sealed class WorkbookBadFileTests
{
    private const long InflateLimit = 64L * 1024 * 1024;

    public sealed record BadFile(string Name, Func<HttpContent> Content, HttpStatusCode Status, string Code, string? Detail = null);

    private static byte[] Good() => Xlsx.Build(new SheetSpec("某人", [["客户", "开始日期"], ["某公司", new DateOnly(2026, 11, 30)]]));

    private static byte[] ZipOf(Action<ZipArchive> fill)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            fill(zip);
        return output.ToArray();
    }

    private static byte[] Bomb() => Xlsx.Build([new SheetSpec("某人", [["客户"], ["某公司"]])], zip =>
    {
        // 100 MB of zeros deflate to about 100 KB.
        using var entry = zip.CreateEntry("xl/media/padding.bin", CompressionLevel.Optimal).Open();
        var zeros = new byte[1024 * 1024];
        for (var i = 0; i < 100; i++)
            entry.Write(zeros);
    });

    private static byte[] ManyEntries() => Xlsx.Build([new SheetSpec("某人", [["客户"], ["某公司"]])], zip =>
    {
        for (var i = 0; i < 1500; i++)
            Xlsx.Entry(zip, $"xl/media/part{i}.xml", "<x/>");
    });

    private static byte[] MillionRows()
    {
        // Empty rows keep the sheet small enough to pass the inflate limit, so the row cap speaks.
        var rows = new Cell?[1_000_001][];
        rows[0] = ["客户"];
        for (var i = 1; i < rows.Length; i++)
            rows[i] = [];
        return Xlsx.Build(new SheetSpec("某人", rows));
    }

    public static readonly BadFile[] Cases =
    [
        new("not a workbook", () => Xlsx.Upload(Encoding.UTF8.GetBytes("客户,电话\n某公司,13800000000\n"), "master.csv"),
            HttpStatusCode.UnsupportedMediaType, "not-a-workbook"),
        new("an old .xls", () => Xlsx.Upload([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], "master.xls"),
            HttpStatusCode.UnsupportedMediaType, "not-a-workbook"),
        new("empty", () => Xlsx.Upload([]), HttpStatusCode.BadRequest, "empty-file"),
        new("a zip without a workbook", () => Xlsx.Upload(ZipOf(zip => Xlsx.Entry(zip, "readme.txt", "你好"))),
            HttpStatusCode.UnsupportedMediaType, "not-a-workbook"),
        new("a truncated workbook", () => Xlsx.Upload(Good()[..200]), HttpStatusCode.UnsupportedMediaType, "not-a-workbook"),
        new("a zip bomb", () => Xlsx.Upload(Bomb()), HttpStatusCode.RequestEntityTooLarge, "workbook-too-large"),
        new("too many parts", () => Xlsx.Upload(ManyEntries()), HttpStatusCode.RequestEntityTooLarge, "workbook-too-large"),
        new("a million rows", () => Xlsx.Upload(MillionRows()), HttpStatusCode.RequestEntityTooLarge, "too-many-rows"),
        new("merged cells", () => Xlsx.Upload(Xlsx.Build(new SheetSpec("某人", [["客户", "电话"], ["某公司", null]], ["A2:B2"]))),
            HttpStatusCode.UnprocessableEntity, "merged-cells", "某人!A2:B2"),
        new("wrong types", () => Xlsx.Upload(Xlsx.Build(new SheetSpec("某人",
            [["客户", "开始日期", "电话"], [12345.0, "明天", new Cell.Bool(true)], ["好公司", 46357.0, 13800000000.0]]))),
            HttpStatusCode.UnprocessableEntity, "wrong-types", "某人!B2: start should be a date"),
        new("no customer column", () => Xlsx.Upload(Xlsx.Build(new SheetSpec("某人", [["名字不对"], ["某公司"]]))),
            HttpStatusCode.UnprocessableEntity, "no-customer-sheet"),
        new("a 50 MB upload", () => Xlsx.Upload(new byte[50 * 1024 * 1024]), HttpStatusCode.RequestEntityTooLarge, "payload-too-large"),
        new("not multipart", () => JsonContent.Create(new { file = "master.xlsx" }), HttpStatusCode.BadRequest, "validation-failed"),
        new("no file field", () => new MultipartFormDataContent { { new StringContent("x"), "other" } }, HttpStatusCode.BadRequest, "validation-failed"),
    ];

    [Theory, MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task BadFiles_ReconcileAndImport_RefusedWithAProblemAndNoChange(Engine engine)
    {
        await using var app = await HarborApp.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Harbor:Workbook:MaxUncompressedBytes"] = InflateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await app.CreatePersonAsync("salesperson", await app.CreateGroupAsync(), "某人");
        var clerk = await app.CreatePersonAsync("clerk", null);
        using var admin = await app.AdminAsync();
        var failures = new List<string>();

        foreach (var bad in Cases)
        {
            foreach (var (client, url) in new[] { (clerk.Client, "/api/workbook/reconcile"), (admin, "/api/workbook/import") })
            {
                var response = await client.PostAsync(url, bad.Content());
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != bad.Status || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || !body.Contains($"\"code\":\"{bad.Code}\"", StringComparison.Ordinal)
                    || (bad.Detail is not null && !body.Contains(bad.Detail, StringComparison.Ordinal)))
                    failures.Add($"{bad.Name} on {url}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        var (customers, imports) = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            return (await db.Customers.CountAsync(), await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Import));
        });
        Assert.Equal((0, 0), (customers, imports));

        // The same good file goes through, so the refusals above were about the files.
        await (await admin.PostAsync("/api/workbook/import", Xlsx.Upload(Good()))).AssertStatusAsync(HttpStatusCode.OK);
    }
}
