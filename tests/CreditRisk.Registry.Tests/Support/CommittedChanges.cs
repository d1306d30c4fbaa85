using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>What the registry database says happened: the event id of every committed change of a model.</summary>
public static class CommittedChanges
{
    public static async Task<HashSet<string>> EventIdsAsync(PostgresFixture postgres, string model, CancellationToken cancellationToken)
    {
        await using var dataSource = postgres.CreateDataSource();
        await using var command = dataSource.CreateCommand("""
            SELECT event_id FROM alias_moves WHERE model_name = $1 UNION ALL SELECT event_id FROM model_versions WHERE model_name = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        var ids = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0).ToString());
        }
        return ids;
    }
}
