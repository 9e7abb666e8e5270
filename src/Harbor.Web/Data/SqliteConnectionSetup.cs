using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Harbor.Web.Data;

/// <summary>
/// Sets up each SQLite connection the pool opens for the first time: its memory map (ADR-012). Without it
/// every pooled connection keeps its own 2 MB page cache and reads what it misses with a system call
/// and a copy; at 16 readers over a registry of 100,000 customers that was 6 % of the process's CPU in
/// the kernel's reads alone (docs/benchmarks.md, "Session 5"). A pooled connection keeps its settings
/// while it waits in the pool, so each physical connection is set up once, not at every open.
/// </summary>
public sealed class SqliteConnectionSetup(int memoryMapMiB) : DbConnectionInterceptor
{
    // The physical connections already set up; an entry goes when its connection is collected.
    private readonly ConditionalWeakTable<object, object> _done = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => SetUp(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SetUp(connection);
        return Task.CompletedTask;
    }

    private void SetUp(DbConnection connection)
    {
        if (memoryMapMiB <= 0 || connection is not SqliteConnection { Handle: { } handle } sqlite || _done.TryGetValue(handle, out _))
            return;
        using var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA mmap_size = {(long)memoryMapMiB * 1024 * 1024}";
        command.ExecuteNonQuery();
        _done.AddOrUpdate(handle, handle);
    }
}
