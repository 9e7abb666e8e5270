using Harbor.Web.Data;
using Npgsql;

namespace Harbor.Web.Tests.Foundation;

/// <summary>PostgreSQL prepares the statements Harbor repeats, unless the admin's connection string decides.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void ConnectionString_WithoutAutoPrepare_PreparesTheRepeatedStatements()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Database=harbor;Username=harbor"));

        Assert.Equal(DatabaseSetup.MaxAutoPrepare, built.MaxAutoPrepare);
        Assert.Equal("db", built.Host);
        Assert.Equal("harbor", built.Database);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;maxautoprepare=8", 8)]
    [InlineData("Host=db;MAX AUTO PREPARE=200;Auto Prepare Min Usages=2", 200)]
    public void ConnectionString_AdminsOwnAutoPrepare_Wins(string given, int expected)
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString(given));

        Assert.Equal(expected, built.MaxAutoPrepare);
    }
}
