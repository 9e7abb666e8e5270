using System.Diagnostics;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web;
using Harbor.Web.Data;
using Harbor.Web.Features.Customers;
using Harbor.Web.Features.Workbook;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

// The master workbook's export, measured outside the tests (issue 9: 100,000 customers in under
// 1.5 s and under 100 MB). Seeding and exporting run as separate processes, so the export's
// peak memory is its own:
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- seed   sqlite /tmp/harbor-bench.db 100000
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- export sqlite /tmp/harbor-bench.db
// or postgres "Host=...;Database=harbor_bench;Username=..." in place of sqlite and the file.
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- export-once sqlite /tmp/harbor-bench.db
// measures one export alone in a fresh process: the process before it, the export's own managed
// allocation and the peak after it. The import (issue 11: 100,000 rows in under 3 s and 100 MB):
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- workbook sqlite /tmp/harbor-bench.db /tmp/harbor-master.xlsx
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- import sqlite /tmp/harbor-import.db /tmp/harbor-master.xlsx [--dry-run]
// "workbook" saves the seeded registry's master workbook; "import" empties its database, creates the
// same 200 salespeople and imports that file into it (a dry run, or for real skipping rejected rows).
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- import-parts sqlite /tmp/harbor-parts.db /tmp/harbor-master.xlsx
// times the import's steps alone over that file's rows: validation, the aggregates, the name grams,
// the bulk write (BulkCustomers) and the commit (BENCH_SQLITE_CACHE=-65536 sets SQLite's page cache first).
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- read - /tmp/harbor-master.xlsx [runs]
// reads (checks and parses) the upload alone, several times in one process, with CPU and allocation per run.
if (args.Length >= 3 && args[0] == "read")
{
    var upload = await File.ReadAllBytesAsync(args[2]);
    var runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5;
    for (var run = 1; run <= runs; run++)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Cpu();
        var watchRead = Stopwatch.StartNew();
        var readBook = UploadedWorkbook.Read(() => new MemoryStream(upload, writable: false), new WorkbookOptions());
        Console.WriteLine($"read {run}: {(readBook.Succeeded ? readBook.Value.Sheets.Sum(s => s.Rows.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) + " rows" : readBook.Refusal.Code)}, " +
            $"{watchRead.ElapsedMilliseconds} ms, {Cpu() - cpuBefore:F0} ms CPU, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / 1024.0:F0} MB; {Memory()}");
    }

    return 0;
}

if (args.Length < 3 || args[0] is not ("seed" or "export" or "export-once" or "workbook" or "import" or "import-parts"))
{
    Console.Error.WriteLine("usage: seed|export|export-once|workbook|import sqlite|postgres <file or connection string> [customers | out.xlsx | in.xlsx [--dry-run]]");
    return 2;
}

var policy = new PolicySettings();
var calendar = new CompanyCalendar(policy);
var clock = TimeProvider.System;
await using var db = Open(args[1], args[2]);

if (args[0] == "seed")
{
    await db.Database.EnsureDeletedAsync();
    await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
    var customers = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
    await SeedAsync(db, customers);
    Console.WriteLine($"seeded {customers} customers");
    return 0;
}

if (args[0] == "import")
    return await ImportAsync(db, args[3], args.Contains("--dry-run"));
if (args[0] == "import-parts")
    return await ImportPartsAsync(db, args[3]);

var clerk = await db.Users.Where(u => u.Role == Role.Clerk).Select(u => u.AsViewer()).FirstAsync();
if (args[0] is "workbook" or "export-once")
{
    // --page N: customers read at a time (Harbor:Workbook:ExportPageSize), to see what the pages cost.
    var page = Array.IndexOf(args, "--page") is var at && at > 0 ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 5000;
    var options1 = Options.Create(new HarborOptions { Workbook = { ExportPageSize = page } });
    Console.WriteLine($"page size {page}, {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections so far");
    using var gate1 = new WriteGate();
    var baseline = Memory();
    Console.WriteLine($"before exporting: {baseline}");
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var watch1 = Stopwatch.StartNew();
    var cpu1 = Cpu();
    var exported = await new ExportWorkbook(db, gate1, clock, policy, calendar, options1).HandleAsync(clerk, SheetLanguage.Chinese, CancellationToken.None);
    await using (var content = exported.Value!.Content)
    {
        if (args[0] == "workbook")
        {
            await using var output = File.Create(args[3]);
            await content.CopyToAsync(output);
        }
        else
        {
            await content.CopyToAsync(Stream.Null);
        }
    }

    watch1.Stop();
    Console.WriteLine($"export: {exported.Value.Rows} rows, {watch1.ElapsedMilliseconds} ms ({Cpu() - cpu1:F0} ms CPU), " +
        $"allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0:F1} MB managed " +
        $"({GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections of gen 0/1/2); after: {Memory()}");
    return 0;
}

using (var before = Process.GetCurrentProcess())
    Console.WriteLine($"before exporting: peak working set {before.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB (the runtime, EF Core, the database driver)");
var options = Options.Create(new HarborOptions());
using var gate = new WriteGate();
// Where the time goes: reading the pages alone, and writing as many rows without a database.
for (var pass = 0; pass < 2; pass++)
{
    db.ChangeTracker.Clear();
    var cpu = Cpu();
    var watch = Stopwatch.StartNew();
    var owners = await MasterSheets.OwnersAsync(db, CancellationToken.None);
    Console.WriteLine($"  the salespeople: {watch.ElapsedMilliseconds} ms");
    var read = 0;
    await foreach (var (_, page) in MasterSheets.PagesAsync(db, owners, options.Value.Workbook.ExportPageSize, CancellationToken.None))
        read += page.Count;
    Console.WriteLine($"reading {read} rows alone: {watch.ElapsedMilliseconds} ms, {Cpu() - cpu:F0} ms CPU");
    // The floor: the same columns straight off a data reader, nothing built from them.
    cpu = Cpu();
    watch.Restart();
    var connection = db.Database.GetDbConnection();
    if (connection.State != System.Data.ConnectionState.Open)
        await connection.OpenAsync();
    await using (var command = connection.CreateCommand())
    {
        command.CommandText = "SELECT \"OwnerId\", \"Name\", \"ContactName\", \"Phone\", \"Stage\", \"StartsOn\", \"DueOn\", \"Status\", \"NameKey\" " +
            "FROM \"Customers\" WHERE \"OwnerId\" IS NOT NULL";
        await using var reader = await command.ExecuteReaderAsync();
        var raw = 0;
        while (await reader.ReadAsync())
        {
            for (var column = 0; column < reader.FieldCount; column++)
                _ = reader.IsDBNull(column) ? null : reader.GetValue(column);
            raw++;
        }

        Console.WriteLine($"raw reader {raw} rows: {watch.ElapsedMilliseconds} ms, {Cpu() - cpu:F0} ms CPU");
    }

    watch.Restart();
    cpu = Cpu();
    using (var workbook = new XlsxWriter(Stream.Null))
    {
        var columns = WorkbookText.Columns(SheetLanguage.Chinese);
        var cells = new XlsxCell[columns.Count];
        var row = new SheetRow(Guid.Empty, "北京星辰000001科技有限公司", "", "联系人1", "13900000001", "signed",
            new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 16), CustomerStatus.Signed);
        var sheet = workbook.AddSheet("销售", columns);
        for (var i = 0; i < read; i++)
        {
            MasterSheets.Fill(cells, row, masked: false, new DateOnly(2026, 12, 1), SheetLanguage.Chinese);
            sheet.WriteRow(cells);
        }

        sheet.Done();
        workbook.Finish();
    }

    Console.WriteLine($"writing {read} rows alone: {watch.ElapsedMilliseconds} ms, {Cpu() - cpu:F0} ms CPU");
}

for (var run = 1; run <= 3; run++)
{
    var cpu = Cpu();
    var watch = Stopwatch.StartNew();
    var result = await new ExportWorkbook(db, gate, clock, policy, calendar, options).HandleAsync(clerk, SheetLanguage.Chinese, CancellationToken.None);
    await using var file = result.Value!.Content;
    var bytes = file.Length;
    // What the response does with it.
    await file.CopyToAsync(Stream.Null);
    watch.Stop();
    db.ChangeTracker.Clear();
    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"run {run}: {result.Value.Rows} rows, {bytes / 1024.0 / 1024.0:F1} MB xlsx, {watch.ElapsedMilliseconds} ms ({Cpu() - cpu:F0} ms CPU), " +
        $"peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB, managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MB");
}

return 0;

// The process's peak and current working set, and the managed heap's size and peak committed memory.
static string Memory()
{
    using var process = Process.GetCurrentProcess();
    var info = GC.GetGCMemoryInfo();
    return $"peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB, working set {process.WorkingSet64 / 1024.0 / 1024.0:F0} MB, " +
        $"managed heap {info.HeapSizeBytes / 1024.0 / 1024.0:F0} MB (committed {info.TotalCommittedBytes / 1024.0 / 1024.0:F0} MB)";
}

static double Cpu()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime.TotalMilliseconds;
}

// HARBOR_BENCH_LOG_SQL=1 prints every command EF sends (its text cut to 300 characters) with its duration.
static HarborDbContext Open(string provider, string target) => provider switch
{
    "sqlite" => new SqliteHarborDbContext(Logged(new DbContextOptionsBuilder<SqliteHarborDbContext>().UseSqlite($"Data Source={target}")).Options),
    "postgres" => new PostgresHarborDbContext(Logged(new DbContextOptionsBuilder<PostgresHarborDbContext>().UseNpgsql(target)).Options),
    _ => throw new ArgumentException($"Unknown provider {provider}."),
};

static DbContextOptionsBuilder<T> Logged<T>(DbContextOptionsBuilder<T> options) where T : DbContext =>
    Environment.GetEnvironmentVariable("HARBOR_BENCH_LOG_SQL") == "1"
        ? options.LogTo(line => Console.WriteLine(line.Length > 300 ? line[..300] + "..." : line),
            [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted])
        : options;

// The import of a saved master workbook into a registry that has the salespeople and no customers.
async Task<int> ImportAsync(HarborDbContext db, string file, bool dryRun)
{
    await db.Database.EnsureDeletedAsync();
    await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
    await SeedPeopleAsync(db);
    var admin = new User { Id = Guid.NewGuid(), Username = "admin", UsernameKey = "admin", DisplayName = "管理员", Role = Role.Admin, PasswordHash = "-", CreatedAt = clock.GetUtcNow() };
    db.Users.Add(admin);
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();
    var bytes = await File.ReadAllBytesAsync(file);
    Console.WriteLine($"{file}: {bytes.Length / 1024.0 / 1024.0:F1} MB; before importing: {Memory()}");

    // As the endpoint does: check and read the upload, then plan (and write) every row.
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Cpu();
    var watch = Stopwatch.StartNew();
    var book = UploadedWorkbook.Read(() => new MemoryStream(bytes, writable: false), new WorkbookOptions());
    if (!book.Succeeded)
    {
        Console.Error.WriteLine($"refused: {book.Refusal}");
        return 1;
    }

    var read = watch.ElapsedMilliseconds;
    var liveUpload = Environment.GetEnvironmentVariable("BENCH_LIVE") == "1" ? $", live after a full collection {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MB" : "";
    Console.WriteLine($"reading {book.Value.Sheets.Sum(s => s.Rows.Count)} rows of {book.Value.Sheets.Count} sheets: {read} ms ({Cpu() - cpu:F0} ms CPU), " +
        $"allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0:F0} MB; {Memory()}{liveUpload}");
    using var gate = new WriteGate();
    // BENCH_ALLOC=1: what the import allocates after reading, by type (the runtime's allocation ticks, one per ~100 KB).
    using var ticks = Environment.GetEnvironmentVariable("BENCH_ALLOC") == "1" ? new AllocationTicks() : null;
    var outcome = await new ImportWorkbook(db, gate, clock, policy, calendar, Options.Create(new HarborOptions()))
        .HandleAsync(admin.AsViewer(), book.Value, new ImportRequest(dryRun, SkipRejected: true, Path.GetFileName(file)), CancellationToken.None);
    watch.Stop();
    ticks?.Print(25);
    var reasons = string.Join(", ", outcome.Report.Rows.Where(r => r.Reason is not null).GroupBy(r => r.Reason).Select(g => $"{g.Key} {g.Count()}"));
    Console.WriteLine($"{outcome.Report.Result}: {outcome.Report.Imported} imported, {outcome.Report.Rejected} rejected ({reasons}); " +
        $"{watch.ElapsedMilliseconds} ms in all, {watch.ElapsedMilliseconds - read} ms after reading ({Cpu() - cpu:F0} ms CPU), " +
        $"allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0:F0} MB; after: {Memory()}");
    // BENCH_LIVE=1: what stays alive while the report is still held (the upload and the report), after a full collection.
    if (Environment.GetEnvironmentVariable("BENCH_LIVE") == "1")
    {
        Console.WriteLine($"live with the upload and the report: {GC.GetTotalMemory(true) / 1024.0 / 1024.0:F0} MB");
        GC.KeepAlive(book);
        GC.KeepAlive(outcome);
    }

    return 0;
}

// Where the import's time goes: each step of the write path alone, over the same file's rows.
async Task<int> ImportPartsAsync(HarborDbContext db, string file)
{
    await db.Database.EnsureDeletedAsync();
    await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
    var people = await SeedPeopleAsync(db);
    var bytes = await File.ReadAllBytesAsync(file);
    var book = UploadedWorkbook.Read(() => new MemoryStream(bytes, writable: false), new WorkbookOptions()).Value!;
    var rows = book.Sheets.SelectMany(s => s.Rows).ToList();
    var cpu = Cpu();
    var details = rows.Select(r => new CustomerDetails(r.Customer, r.Phone, r.CreditCode, r.Contact, r.Address, r.Notes).Validate(LibPhoneNumberParser.Keys).Value!).ToList();
    Console.WriteLine($"validating {details.Count} rows: {Cpu() - cpu:F0} ms CPU");
    var now = clock.GetUtcNow();
    var today = calendar.DayOf(now);
    cpu = Cpu();
    // As the import numbers them (BENCH_RANDOM_IDS=1: one Guid.CreateVersion7(now) each, as before).
    var ids = new AscendingIds(now);
    var randomIds = Environment.GetEnvironmentVariable("BENCH_RANDOM_IDS") == "1";
    var customers = details.Select((d, i) =>
    {
        var c = Customer.Register(randomIds ? Guid.CreateVersion7(now) : ids.Next(), d, people[i % people.Count].Id, ProtectionTerm.Starting(today, policy.ProtectionDays, calendar), people[0].Id, now);
        if (i % 7 != 0)
            c.Sign(people[0].Id, policy.Stages[^1], now);
        return c;
    }).ToList();
    Console.WriteLine($"building the aggregates: {Cpu() - cpu:F0} ms CPU");
    cpu = Cpu();
    var grams = customers.Sum(c => BulkCustomers.GramsOf(c).Count());
    Console.WriteLine($"the name grams ({grams}): {Cpu() - cpu:F0} ms CPU");
    cpu = Cpu();
    var watch = Stopwatch.StartNew();
    await using (var transaction = await db.Database.BeginTransactionAsync())
    {
        if (Environment.GetEnvironmentVariable("BENCH_SQLITE_CACHE") is { } cache)
        {
            await using var pragma = db.Database.GetDbConnection().CreateCommand();
            pragma.CommandText = "PRAGMA cache_size=" + int.Parse(cache, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await pragma.ExecuteNonQueryAsync();
        }
        await using (var bulk = new BulkCustomers(db))
        {
            foreach (var customer in customers)
                await bulk.AddAsync(customer, CancellationToken.None);
            await bulk.FlushAsync(CancellationToken.None);
        }

        Console.WriteLine($"the bulk write (grams included): {watch.ElapsedMilliseconds} ms, {Cpu() - cpu:F0} ms CPU");
        cpu = Cpu();
        watch.Restart();
        await transaction.CommitAsync();
    }

    Console.WriteLine($"the commit: {watch.ElapsedMilliseconds} ms, {Cpu() - cpu:F0} ms CPU");
    return 0;
}

async Task<List<User>> SeedPeopleAsync(HarborDbContext db)
{
    var now = clock.GetUtcNow();
    var groups = Enumerable.Range(1, 10).Select(i => new Group { Id = Guid.NewGuid(), Name = $"第{i}组", CreatedAt = now }).ToList();
    db.Groups.AddRange(groups);
    var people = Enumerable.Range(1, 200).Select(i => new User
    {
        Id = Guid.NewGuid(),
        Username = $"sales{i}",
        UsernameKey = $"sales{i}",
        DisplayName = $"销售{i:D3}",
        Role = Role.Salesperson,
        GroupId = groups[i % groups.Count].Id,
        PasswordHash = "-",
        CreatedAt = now,
    }).ToList();
    db.Users.AddRange(people);
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();
    return people;
}

// 200 salespeople in 10 groups; each holds 15 protected customers and the rest are signed,
// as a master workbook of a few years looks.
async Task SeedAsync(HarborDbContext db, int total)
{
    var now = clock.GetUtcNow();
    var people = await SeedPeopleAsync(db);
    db.Users.Add(new User { Id = Guid.NewGuid(), Username = "clerk", UsernameKey = "clerk", DisplayName = "文员", Role = Role.Clerk, PasswordHash = "-", CreatedAt = now });
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();

    // Written as the import writes (BulkCustomers, one transaction): through EF one by one this
    // took minutes of CPU for 100,000 customers.
    var today = calendar.DayOf(now);
    await using var transaction = await db.Database.BeginTransactionAsync();
    await using (var bulk = new BulkCustomers(db))
    {
        for (var i = 0; i < total; i++)
        {
            var owner = people[i % people.Count];
            var details = new CustomerDetails($"北京星辰{i:D6}科技有限公司", $"139{i:D8}", null, $"联系人{i % 1000}", "某路1号", null).Validate(LibPhoneNumberParser.Keys).Value!;
            var term = ProtectionTerm.Starting(today.AddDays(-(i % 14)), policy.ProtectionDays, calendar);
            var customer = Customer.Register(Guid.CreateVersion7(now), details, owner.Id, term, owner.Id, now);
            if (i / people.Count >= 15)
                customer.Sign(owner.Id, policy.Stages[^1], now);
            await bulk.AddAsync(customer, CancellationToken.None);
        }

        await bulk.FlushAsync(CancellationToken.None);
    }

    await transaction.CommitAsync();
}

/// <summary>The runtime's allocation ticks (an event per ~100 KB allocated, naming the type that crossed it), summed by type.</summary>
sealed class AllocationTicks : System.Diagnostics.Tracing.EventListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null)
            return;
        var type = e.Payload![e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var at and >= 0 ? Convert.ToInt64(e.Payload[at], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    public void Print(int top)
    {
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
            Console.WriteLine($"  {bytes / 1024.0 / 1024.0,7:F1} MB  {type}");
    }
}
