using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.Drift.Tests.Support;

/// <summary>One value read from a drift service's database, for assertions on its tables.</summary>
public static class DriftDatabase
{
    public static async Task<object?> QueryScalarAsync(PostgresFixture database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new() { Value = parameter });
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<long> ScalarAsync(PostgresFixture database, string sql, params object[] parameters) =>
        Convert.ToInt64(await QueryScalarAsync(database, sql, parameters), System.Globalization.CultureInfo.InvariantCulture);
}
