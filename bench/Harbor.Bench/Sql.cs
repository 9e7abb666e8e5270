using System.Data.Common;
using Npgsql;

namespace Harbor.Bench;

/// <summary>Raw ADO.NET helpers that write values as Harbor's model stores them on each engine.</summary>
public static class Sql
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 600;
        return command;
    }

    /// <summary>Adds a parameter encoded for the engine: on SQLite Guids are upper-case text, instants UTC ticks, days ISO text.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        var sqlite = command is not NpgsqlCommand;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            Guid g when sqlite => Loader.SqliteGuid(g),
            DateTimeOffset i when sqlite => i.UtcTicks,
            DateTimeOffset i => i.ToUniversalTime(),
            DateOnly d when sqlite => Loader.SqliteDay(d),
            _ => value,
        };
        command.Parameters.Add(parameter);
        return command;
    }

    public static async Task<long> LongAsync(this DbCommand command) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
}
