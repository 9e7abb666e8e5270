using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Harbor.Domain.Access;
using Harbor.Domain.Policy;
using Microsoft.Data.Sqlite;
using MiniExcelLibs;
using Npgsql;
using NpgsqlTypes;

namespace Harbor.Bench;

/// <summary>
/// The master workbook (issue 11, scenario 4; issue 9's targets): a registry of 100,000 owned
/// customers (10,000 with <c>--quick</c>), 500 a salesperson, exported through HTTP by the clerk
/// (<c>GET /api/workbook</c>) — the first export after the host started, then warm ones — and
/// beside it the floor: the same rows read with the raw provider and written by MiniExcel, the
/// simplest streaming xlsx writer. Then that workbook imported into an empty Harbor with the same
/// salespeople (<c>POST /api/workbook/import</c> as the admin), beside its floor: the same rows
/// inserted with the raw provider in one transaction. Harbor and the clients share this process,
/// so memory is the process's: its resident set before each step and its peak during it (Linux's
/// VmHWM, reset before the step through /proc/self/clear_refs).
/// </summary>
public static class Workbook
{
    private const int RowsPerSheet = 500;
    private const int Groups = 10;

    public static async Task<ScenarioResult> RunAsync(Engine engine, PostgresServer? server, BenchOptions options, CancellationToken ct)
    {
        var size = options.Quick ? 10_000 : 100_000;
        var result = new ScenarioResult("workbook", engine, options.Quick);
        var file = Path.Combine(Path.GetTempPath(), $"harbor-bench-master-{Guid.NewGuid():N}.xlsx");
        try
        {
            await ExportAsync(engine, server, options, size, file, result, ct);
            // HARBOR_BENCH_WORKBOOK_EXPORT_ONLY=1: the export alone, to compare two builds quickly.
            if (Environment.GetEnvironmentVariable("HARBOR_BENCH_WORKBOOK_EXPORT_ONLY") != "1")
                await ImportAsync(engine, server, options, size, file, result, ct);
        }
        finally
        {
            File.Delete(file);
        }

        return result;
    }

    private static async Task ExportAsync(Engine engine, PostgresServer? server, BenchOptions options, int size, string file, ScenarioResult result, CancellationToken ct)
    {
        await using var database = await BenchDatabase.CreateAsync(engine, server, "workbook");
        await using (var host = HarborHost.Start(database, kestrel: true))
        {
            var owners = await SalespeopleAsync(host, size / RowsPerSheet);
            var group = await Loader.GroupAsync(host, "文员组");
            var clerk = (await Loader.SalespeopleAsync(host, 1, group, "clerk", Role.Clerk))[0];
            await Loader.CustomersAsync(database, Rows(new DataGen(options.Seed), size, owners));
            await database.AnalyzeAsync();
            // The loader's pooled SQLite connection keeps the 200 MB page cache it asked for;
            // Harbor must not read through it (nor the process carry it).
            SqliteConnection.ClearAllPools();
            result.Add("registry", $"{size:N0} owned customers, {owners.Count} salespeople in {Groups} groups ({RowsPerSheet} each: 15 protected, the rest signed)");
            using var http = host.NewHttpClient();

            // The first export after the host started pays for compiling its code (the host has
            // served only the loader's requests); the warm ones are what a running Harbor does.
            var runs = new List<Step>();
            for (var run = 0; run < 4; run++)
            {
                runs.Add(await MeasureAsync(async () =>
                {
                    using var request = HarborHost.Request(HttpMethod.Get, "/api/workbook?lang=zh", clerk.Token);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                    response.EnsureSuccessStatusCode();
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    await using var output = run == 0 ? File.Create(file) : Stream.Null;
                    return await CountingCopyAsync(body, output, ct);
                }));
            }

            var first = runs[0];
            var warm = runs.Skip(1).OrderBy(r => r.Wall).ToList();
            var median = warm[warm.Count / 2];
            result.Add("GET /api/workbook, first after start", first.Describe(), "≤ 1.5 s", first.Wall.TotalSeconds <= 1.5);
            result.Add("GET /api/workbook, warm (median of 3)", median.Describe(), "≤ 1.5 s", median.Wall.TotalSeconds <= 1.5);
            result.Add("workbook file", $"{first.Bytes / 1024.0 / 1024.0:0.0} MB, {owners.Count + 1} sheets");
            result.Add("process resident before → peak during the first export", first.DescribeMemory(), "own ≤ 100 MB", first.OwnBytes <= 100L * 1024 * 1024);
            result.Add("process resident before → peak during a warm export", median.DescribeMemory(), "own ≤ 100 MB", median.OwnBytes <= 100L * 1024 * 1024);

            var own = await MeasureAsync(async () =>
            {
                using var request = HarborHost.Request(HttpMethod.Get, "/api/me/sheet?lang=zh", owners[0].Token);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                return await CountingCopyAsync(body, Stream.Null, ct);
            });
            result.Add($"GET /api/me/sheet ({RowsPerSheet} rows)", own.Describe());
        }

        // The floor: one query over the same rows (grouped by owner, as the sheets are), written
        // by MiniExcel into one sheet, nothing computed, masked or sorted.
        var floorFile = Path.Combine(Path.GetTempPath(), $"harbor-bench-floor-{Guid.NewGuid():N}.xlsx");
        try
        {
            var floor = await MeasureAsync(async () =>
            {
                await using var connection = await database.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT \"Name\", \"ContactName\", \"Phone\", \"Stage\", \"StartsOn\", \"DueOn\", \"Status\" " +
                    "FROM \"Customers\" WHERE \"OwnerId\" IS NOT NULL ORDER BY \"OwnerId\"";
                await using var reader = await command.ExecuteReaderAsync(ct);
                await using var output = File.Create(floorFile);
                await MiniExcel.SaveAsAsync(output, reader, cancellationToken: ct);
                return output.Length;
            });
            result.Add("floor: raw reader + MiniExcel SaveAs (one sheet)", floor.Describe());
            result.Add("floor: process resident before → peak", floor.DescribeMemory());
        }
        finally
        {
            File.Delete(floorFile);
        }
    }

    private static async Task ImportAsync(Engine engine, PostgresServer? server, BenchOptions options, int size, string file, ScenarioResult result, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(file, ct);
        await using (var empty = await BenchDatabase.CreateAsync(engine, server, "wbimport"))
        await using (var host = HarborHost.Start(empty, kestrel: true))
        {
            await SalespeopleAsync(host, size / RowsPerSheet);
            var group = await Loader.GroupAsync(host, "管理组");
            var admin = (await Loader.SalespeopleAsync(host, 1, group, "admin", Role.Admin))[0];
            using var http = host.NewHttpClient();
            // The answer (every row's fate, about 10 MB of JSON) goes to a file as it arrives: a client holding
            // it in memory would count against the import's own memory, since both share this process.
            var answerFile = Path.Combine(Path.GetTempPath(), $"harbor-bench-import-{Guid.NewGuid():N}.json");
            var import = await MeasureAsync(async () =>
            {
                using var form = new MultipartFormDataContent();
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
                form.Add(content, "file", "harbor-master.xlsx");
                using var request = HarborHost.Request(HttpMethod.Post, "/api/workbook/import?skipRejected=true", admin.Token, form);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                await using (var body = await response.Content.ReadAsStreamAsync(ct))
                await using (var output = File.Create(answerFile))
                    await body.CopyToAsync(output, ct);
                if (!response.IsSuccessStatusCode)
                {
                    var problem = await File.ReadAllTextAsync(answerFile, ct);
                    throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {problem[..Math.Min(problem.Length, 500)]}");
                }

                return bytes.Length;
            });
            using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(answerFile, ct));
            File.Delete(answerFile);
            var imported = report.RootElement.GetProperty("imported").GetInt32();
            var rejected = report.RootElement.GetProperty("rejected").GetInt32();
            result.Add("POST /api/workbook/import (admin, skipRejected) into an empty Harbor", $"{import.Wall.TotalSeconds:0.00} s, {import.Cpu.TotalSeconds:0.00} s CPU; {imported:N0} imported, {rejected:N0} rejected",
                "≤ 3 s", import.Wall.TotalSeconds <= 3);
            var reasons = report.RootElement.GetProperty("rows").EnumerateArray()
                .Select(r => r.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null)
                .Where(r => r is not null).GroupBy(r => r).Select(g => $"{g.Key} {g.Count():N0}");
            if (rejected > 0)
                result.Note($"Import rejections by reason: {string.Join(", ", reasons)}.");
            result.Add("import: process resident before → peak", import.DescribeMemory(), "own ≤ 100 MB", import.OwnBytes <= 100L * 1024 * 1024);
        }

        // Its floor: the same rows, inserted with the raw provider in one transaction (prepared
        // INSERTs on SQLite, binary COPY on PostgreSQL), into Harbor's schema with the same people.
        await using var target = await BenchDatabase.CreateAsync(engine, server, "wbfloor");
        List<Salesperson> people;
        await using (var host = HarborHost.Start(target, kestrel: false))
            people = await SalespeopleAsync(host, size / RowsPerSheet);
        var rows = Rows(new DataGen(options.Seed), size, people).ToList();
        var floor = await MeasureAsync(async () =>
        {
            await InsertAsync(target, rows, ct);
            return 0;
        });
        result.Add("floor: the same rows inserted raw in one transaction", $"{floor.Wall.TotalSeconds:0.00} s, {floor.Cpu.TotalSeconds:0.00} s CPU");
    }

    /// <summary>Salespeople in <see cref="Groups"/> groups, named alike in every database so an exported workbook finds them again.</summary>
    private static async Task<List<Salesperson>> SalespeopleAsync(HarborHost host, int count)
    {
        var people = new List<Salesperson>(count);
        for (var g = 0; g < Groups; g++)
        {
            var group = await Loader.GroupAsync(host, $"第{g + 1}组");
            people.AddRange(await Loader.SalespeopleAsync(host, count / Groups, group, $"g{g + 1}s"));
        }

        return people;
    }

    /// <summary>
    /// A master workbook of a few years: each salesperson holds 15 protected customers started in
    /// the last fortnight, the rest signed (with the dates of their old protection). Owners take
    /// turns, so one owner's customers are spread over the table as registrations are.
    /// </summary>
    private static IEnumerable<CustomerRow> Rows(DataGen data, int size, List<Salesperson> owners)
    {
        var policy = new PolicySettings();
        var calendar = new CompanyCalendar(policy);
        var today = DateOnly.FromDateTime(HarborHost.Morning.DateTime);
        for (var i = 0; i < size; i++)
        {
            var owner = owners[i % owners.Count].Id;
            var created = HarborHost.Morning.AddMinutes(-data.Random.Next(0, 2 * 365 * 24 * 60));
            if (i / owners.Count < 15)
            {
                yield return data.Customer("Protected", owner, today.AddDays(-data.Random.Next(0, 15)), null, created, calendar, policy);
                continue;
            }

            var row = data.Customer("Signed", owner, today.AddDays(-data.Random.Next(15, 700)), null, created, calendar, policy);
            // Harbor signs a customer at the policy's last stage (SubmitOrder): the master shows it, and an import reads it back as signed.
            yield return row with { RemindAt = null, ReleaseAt = null, Stage = policy.Stages[^1] };
        }
    }

    private static async Task<long> CountingCopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            total += read;
        }

        return total;
    }

    private static async Task InsertAsync(BenchDatabase database, List<CustomerRow> rows, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (connection is NpgsqlConnection pg)
        {
            await using (var copy = await pg.BeginBinaryImportAsync(
                "COPY \"Customers\" (\"Id\", \"Name\", \"NameKey\", \"Phone\", \"PhoneKey\", \"ContactName\", \"Status\", \"OwnerId\", \"StartsOn\", \"DueOn\", \"CreatedAt\", \"Version\") FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var row in rows)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(row.NameKey, NpgsqlDbType.Text, ct);
                    await WriteAsync(copy, row.Phone, NpgsqlDbType.Text, ct);
                    await WriteAsync(copy, row.PhoneKey, NpgsqlDbType.Text, ct);
                    await WriteAsync(copy, row.ContactName, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(row.Status, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(row.OwnerId!.Value, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(row.StartsOn!.Value, NpgsqlDbType.Date, ct);
                    await copy.WriteAsync(row.DueOn!.Value, NpgsqlDbType.Date, ct);
                    await copy.WriteAsync(row.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(1, NpgsqlDbType.Integer, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return;
        }

        await using var insert = (SqliteCommand)connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)transaction;
        insert.CommandText = "INSERT INTO \"Customers\" (\"Id\", \"Name\", \"NameKey\", \"Phone\", \"PhoneKey\", \"ContactName\", \"Status\", \"OwnerId\", \"StartsOn\", \"DueOn\", \"CreatedAt\", \"Version\") " +
            "VALUES ($id, $name, $key, $phone, $phoneKey, $contact, $status, $owner, $starts, $due, $created, 1)";
        var names = new[] { "$id", "$name", "$key", "$phone", "$phoneKey", "$contact", "$status", "$owner", "$starts", "$due", "$created" };
        var parameters = names.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        await insert.PrepareAsync(ct);
        foreach (var row in rows)
        {
            parameters[0].Value = Loader.SqliteGuid(row.Id);
            parameters[1].Value = row.Name;
            parameters[2].Value = row.NameKey;
            parameters[3].Value = (object?)row.Phone ?? DBNull.Value;
            parameters[4].Value = (object?)row.PhoneKey ?? DBNull.Value;
            parameters[5].Value = (object?)row.ContactName ?? DBNull.Value;
            parameters[6].Value = row.Status;
            parameters[7].Value = Loader.SqliteGuid(row.OwnerId!.Value);
            parameters[8].Value = Loader.SqliteDay(row.StartsOn);
            parameters[9].Value = Loader.SqliteDay(row.DueOn);
            parameters[10].Value = row.CreatedAt.UtcTicks;
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
            await copy.WriteNullAsync(ct);
        else
            await copy.WriteAsync(value, type, ct);
    }

    /// <summary>One measured step: wall time, this process's CPU, bytes produced, resident memory before and at the peak.</summary>
    private sealed record Step(TimeSpan Wall, TimeSpan Cpu, long Bytes, long BeforeBytes, long PeakBytes, long HeapBefore, long Allocated, string After, Resident.Sample Own)
    {
        /// <summary>
        /// The step's own memory: how far the process's anonymous (private) memory rose above
        /// what it held before the step. File pages are left out: on SQLite they are the database
        /// pages read through the memory map (ADR-012), the system's file cache, which a reader
        /// using read() would hold just the same outside the process's count.
        /// </summary>
        public long OwnBytes => Own.AnonymousPeak - Own.AnonymousBefore;

        public string Describe() => $"{Wall.TotalSeconds:0.00} s, {Cpu.TotalSeconds:0.00} s CPU (server and client), {Bytes / 1024.0 / 1024.0:0.0} MB";

        public string DescribeMemory() =>
            $"{Mb(BeforeBytes)} → {Mb(PeakBytes)} MB (+{Mb(PeakBytes - BeforeBytes)} MB; own: anonymous memory +{Mb(OwnBytes)} MB (its peak at {Own.AnonymousPeakAt.TotalSeconds:0.0} s of {Wall.TotalSeconds:0.0} s), file pages +{Mb(Own.FilePeak - Own.FileBefore)} MB at their peaks; " +
            $"GC heap committed before {Mb(HeapBefore)} MB; {Mb(Allocated)} MB allocated by server and client; after: {After})";

        private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a step after a full collection (the loader's garbage is not the step's), with the peak reset.</summary>
    private static async Task<Step> MeasureAsync(Func<Task<long>> step)
    {
        // The bench's own garbage (the loader's rows, earlier steps) is not the step's: collected
        // and given back to the system first, as far as the GC can.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var before = Resident.Now();
        var heapBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        Resident.ResetPeak();
        using var sampler = Resident.Sampler.Start();
        var cpu = CpuMeter.StartNew();
        var watch = Stopwatch.StartNew();
        var bytes = await step();
        watch.Stop();
        var own = await sampler.StopAsync();
        return new Step(watch.Elapsed, cpu.Elapsed, bytes, before, Resident.Peak(), heapBefore,
            GC.GetTotalAllocatedBytes(precise: true) - allocated, Resident.Split(), own);
    }

    /// <summary>This process's resident set from /proc (Linux); the peak is reset by writing 5 to clear_refs.</summary>
    private static class Resident
    {
        public static long Now() => Read("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

        public static long Peak() => Read("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

        /// <summary>
        /// The resident set now, split: anonymous memory (heaps, native buffers) and file pages
        /// (the code, and on SQLite the database pages Harbor reads through its memory map, ADR-012,
        /// which the system's file cache holds and can drop).
        /// </summary>
        public static string Split() =>
            Read("RssAnon:") is { } anon && Read("RssFile:") is { } mapped
                ? $"{anon / 1024.0 / 1024.0:0} MB anonymous + {mapped / 1024.0 / 1024.0:0} MB file pages"
                : "?";

        /// <summary>Anonymous and file-backed resident memory before a step and at their peaks during it.</summary>
        /// <param name="AnonymousPeakAt">When in the step anonymous memory peaked (where to look for what was alive).</param>
        public sealed record Sample(long AnonymousBefore, long AnonymousPeak, long FileBefore, long FilePeak, TimeSpan AnonymousPeakAt);

        /// <summary>
        /// Reads the split every 5 ms on its own thread: Linux keeps a peak only for the whole
        /// resident set (VmHWM), not for its anonymous part.
        /// </summary>
        public sealed class Sampler : IDisposable
        {
            private readonly CancellationTokenSource _stop = new();
            private readonly long _anonymousBefore = Read("RssAnon:") ?? 0;
            private readonly long _fileBefore = Read("RssFile:") ?? 0;
            private readonly Stopwatch _since = Stopwatch.StartNew();
            private long _anonymousPeak;
            private TimeSpan _anonymousPeakAt;
            private long _filePeak;
            private Task? _loop;

            public static Sampler Start()
            {
                var sampler = new Sampler();
                sampler._anonymousPeak = sampler._anonymousBefore;
                sampler._filePeak = sampler._fileBefore;
                sampler._loop = Task.Factory.StartNew(sampler.Loop, TaskCreationOptions.LongRunning);
                return sampler;
            }

            public async Task<Sample> StopAsync()
            {
                await _stop.CancelAsync();
                await _loop!;
                Take();
                return new Sample(_anonymousBefore, _anonymousPeak, _fileBefore, _filePeak, _anonymousPeakAt);
            }

            public void Dispose() => _stop.Dispose();

            // HARBOR_BENCH_MEMORY_TRACE=1: the anonymous memory every 250 ms on stderr, to see the step's shape.
            private static readonly bool Trace = Environment.GetEnvironmentVariable("HARBOR_BENCH_MEMORY_TRACE") == "1";

            private void Loop()
            {
                var next = TimeSpan.Zero;
                while (!_stop.IsCancellationRequested)
                {
                    Take();
                    if (Trace && _since.Elapsed >= next)
                    {
                        Console.Error.WriteLine($"  {_since.Elapsed.TotalSeconds,5:0.00} s: anonymous {(Read("RssAnon:") ?? 0) / 1024.0 / 1024.0:0} MB, GC heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
                        next += TimeSpan.FromMilliseconds(250);
                    }

                    _stop.Token.WaitHandle.WaitOne(5);
                }
            }

            private void Take()
            {
                if (Read("RssAnon:") is { } anonymous && anonymous > _anonymousPeak)
                    (_anonymousPeak, _anonymousPeakAt) = (anonymous, _since.Elapsed);
                _filePeak = Math.Max(_filePeak, Read("RssFile:") ?? 0);
            }
        }

        public static void ResetPeak()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not Linux, or not allowed: the peak is then the process's whole life's.
            }
        }

        private static long? Read(string field)
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                    if (line.StartsWith(field, StringComparison.Ordinal))
                        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            return null;
        }
    }
}
