using CreditRisk.Training.Pipeline;
using Npgsql;

namespace CreditRisk.Training.PipelineTestHost;

/// <summary>What the test steps record and read in the test's database (<see cref="TestStepTables"/>).</summary>
public sealed class TestStepJournal(NpgsqlDataSource database, ReplicaIdentity replica)
{
    public string Replica => replica.Id;

    public async Task RecordAsync(Guid runId, string step, string outcome)
    {
        await using var command = database.CreateCommand("INSERT INTO public.test_step_executions (run_id, step, replica, outcome) VALUES ($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = step });
        command.Parameters.Add(new NpgsqlParameter { Value = replica.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = outcome });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Executions of the step in the run so far, this one included.</summary>
    public async Task<long> ExecutionsAsync(Guid runId, string step)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM public.test_step_executions WHERE run_id = $1 AND step = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = step });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task WaitForGateAsync(Guid runId, string step, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using (var command = database.CreateCommand("SELECT EXISTS (SELECT FROM public.test_step_gates WHERE run_id = $1 AND step = $2)"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = runId });
                command.Parameters.Add(new NpgsqlParameter { Value = step });
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                {
                    return;
                }
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<string> SourceAsync(string source, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT content FROM public.test_step_sources WHERE source = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "";
    }
}
