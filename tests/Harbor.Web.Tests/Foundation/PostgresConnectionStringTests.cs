using Harbor.Web.Data;
using Npgsql;

namespace Harbor.Web.Tests.Foundation;

/// <summary>
/// PostgreSQL prepares the statements Harbor repeats, and a pooled connection is not reset on its way back,
/// unless the admin's connection string decides (ADR-011).
/// </summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void ConnectionString_WithoutAutoPrepare_PreparesTheRepeatedStatements()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Database=harbor;Username=harbor"));

        Assert.Equal(DatabaseSetup.MaxAutoPrepare, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
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

    [Theory]
    [InlineData("Host=db;No Reset On Close=false", false)]
    [InlineData("Host=db;noresetonclose=true;Max Auto Prepare=0", true)]
    public void ConnectionString_AdminsOwnResetOnClose_Wins(string given, bool expected)
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString(given));

        Assert.Equal(expected, built.NoResetOnClose);
    }

    [Fact]
    public void ConnectionString_AdminsOwnAutoPrepare_StillGetsNoResetOnClose()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;Max Auto Prepare=0"));

        Assert.Equal(0, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
    }
}
