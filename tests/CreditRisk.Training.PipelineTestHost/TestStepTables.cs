using Npgsql;

namespace CreditRisk.Training.PipelineTestHost;

/// <summary>
/// The tables through which tests watch and steer the test steps: every execution, the gates a blocked step waits
/// for, and the source rows the first step reads.
/// </summary>
public static class TestStepTables
{
    public static async Task CreateAsync(NpgsqlDataSource database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var command = database.CreateCommand("""
            CREATE TABLE IF NOT EXISTS public.test_step_executions (
                id bigserial PRIMARY KEY,
                run_id uuid NOT NULL,
                step text NOT NULL,
                replica text NOT NULL,
                outcome text NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE TABLE IF NOT EXISTS public.test_step_gates (run_id uuid NOT NULL, step text NOT NULL, PRIMARY KEY (run_id, step));
            CREATE TABLE IF NOT EXISTS public.test_step_sources (source text PRIMARY KEY, content text NOT NULL);
            """);
        await command.ExecuteNonQueryAsync();
    }
}
