using Harbor.Web.Data;
using Harbor.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Web.Tests.Foundation;

/// <summary>Every SQLite connection Harbor opens reads the file through its memory map, as set (ADR-012).</summary>
public sealed class SqliteConnectionSetupTests
{
    [Theory]
    [InlineData(null, 1024L * 1024 * 1024)]
    [InlineData("64", 64L * 1024 * 1024)]
    [InlineData("0", 0L)]
    public async Task EveryPooledConnection_MapsTheFile_AsTheSettingSays(string? setting, long expected)
    {
        var settings = setting is null ? null : new Dictionary<string, string?> { ["Harbor:Database:SqliteMemoryMapMiB"] = setting };
        await using var app = await HarborApp.StartAsync(Engine.Sqlite, settings);

        // Several contexts open at once take several physical connections from the pool; each one,
        // and each one again after it went back to the pool, has the map.
        var seen = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HarborDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                await Task.Delay(20);
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA mmap_size";
                return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        })));

        Assert.All(seen, mapped => Assert.Equal(expected, mapped));
    }
}
