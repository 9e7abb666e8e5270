using System.Diagnostics;
using Harbor.Domain.Access;
using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Harbor.Web;
using Harbor.Web.Data;
using Harbor.Web.Features.Workbook;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

// The master workbook's export, measured outside the tests (issue 9: 100,000 customers in under
// 1.5 s and under 100 MB). Seeding and exporting run as separate processes, so the export's
// peak memory is its own:
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- seed   sqlite /tmp/harbor-bench.db 100000
//   dotnet run -c Release --project bench/Harbor.WorkbookBench -- export sqlite /tmp/harbor-bench.db
// or postgres "Host=...;Database=harbor_bench;Username=..." in place of sqlite and the file.
if (args.Length < 3 || args[0] is not ("seed" or "export"))
{
    Console.Error.WriteLine("usage: seed|export sqlite|postgres <file or connection string> [customers]");
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

var clerk = await db.Users.Where(u => u.Role == Role.Clerk).Select(u => u.AsViewer()).FirstAsync();
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

static double Cpu()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime.TotalMilliseconds;
}

static HarborDbContext Open(string provider, string target) => provider switch
{
    "sqlite" => new SqliteHarborDbContext(new DbContextOptionsBuilder<SqliteHarborDbContext>().UseSqlite($"Data Source={target}").Options),
    "postgres" => new PostgresHarborDbContext(new DbContextOptionsBuilder<PostgresHarborDbContext>().UseNpgsql(target).Options),
    _ => throw new ArgumentException($"Unknown provider {provider}."),
};

// 200 salespeople in 10 groups; each holds 15 protected customers and the rest are signed,
// as a master workbook of a few years looks.
async Task SeedAsync(HarborDbContext db, int total)
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
    db.Users.Add(new User { Id = Guid.NewGuid(), Username = "clerk", UsernameKey = "clerk", DisplayName = "文员", Role = Role.Clerk, PasswordHash = "-", CreatedAt = now });
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();

    var today = calendar.DayOf(now);
    for (var i = 0; i < total; i++)
    {
        var owner = people[i % people.Count];
        var details = new CustomerDetails($"北京星辰{i:D6}科技有限公司", $"139{i:D8}", null, $"联系人{i % 1000}", "某路1号", null).Validate().Value!;
        var term = ProtectionTerm.Starting(today.AddDays(-(i % 14)), policy.ProtectionDays, calendar);
        var customer = Customer.Register(Guid.CreateVersion7(now), details, owner.Id, term, owner.Id, now);
        if (i / people.Count >= 15)
            customer.Sign(owner.Id, policy.Stages[^1], now);
        db.Customers.Add(customer);
        if ((i + 1) % 5000 == 0)
        {
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    await db.SaveChangesAsync();
}
