using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Training.Labels;
using CreditRisk.Training.PipelineTestHost;
using Npgsql;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// A dev broker, a database of its own with the test steps' tables, and training hosts (the real Program.cs with the
/// test pipeline) started on demand: several hosts are several replicas. One test model per fixture, so metrics
/// tagged with it are this fixture's.
/// </summary>
public class PipelineFixture : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<ServiceHost<LabelStore>> _hosts = [];
    private NpgsqlDataSource? _database;

    public DevBrokerFixture Broker { get; } = new();

    public PostgresFixture Postgres { get; } = new();

    public string Model { get; } = "model_" + Guid.NewGuid().ToString("N")[..8];

    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The pipeline fixture is not initialised.");

    /// <summary>The first host, started with the fixture.</summary>
    public ServiceHost<LabelStore> Service => _hosts[0];

    public TrainingService.TrainingServiceClient Writer => Service.ClientFor<TrainingService.TrainingServiceClient>(TestApiKeys.Writer);

    public TrainingService.TrainingServiceClient Reader => Service.ClientFor<TrainingService.TrainingServiceClient>(TestApiKeys.Reader);

    /// <summary>Settings of every host of this fixture beyond <see cref="PipelineSettings.For"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>();

    /// <summary>Another replica over the same broker and database, stopped with the fixture unless the test stops it first.</summary>
    public async Task<ServiceHost<LabelStore>> StartHostAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = PipelineSettings.For(Model, Overrides);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }
        var host = await ServiceHost<LabelStore>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = Postgres.ConnectionString,
            Settings = settings,
            ConfigureServices = services => services.AddPipelineTestSteps(),
        });
        lock (_hosts)
        {
            _hosts.Add(host);
        }
        return host;
    }

    public StartRunRequest NewRun(params (string Name, string Value)[] parameters)
    {
        var request = new StartRunRequest { ModelName = Model };
        foreach (var (name, value) in parameters)
        {
            request.Parameters[name] = value;
        }
        return request;
    }

    public async Task<PipelineRun> StartAsync(StartRunRequest request) =>
        await Writer.StartRunAsync(request, cancellationToken: TestContext.Current.CancellationToken);

    public async Task<PipelineRun> GetAsync(string runId) =>
        await Reader.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Waits until the run finished (succeeded, failed or cancelled) and returns it.</summary>
    public async Task<PipelineRun> WaitForFinishAsync(string runId, TimeSpan? deadline = null)
    {
        PipelineRun? run = null;
        await Eventually.ThatAsync(async () =>
        {
            run = await GetAsync(runId);
            return run.Status is PipelineRunStatus.Succeeded or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled;
        }, deadline ?? Deadline, $"pipeline run {runId} to finish");
        return run!;
    }

    /// <summary>The executions the test steps recorded for the run, in order: (step, replica, outcome).</summary>
    public Task<IReadOnlyList<(string Step, string Replica, string Outcome)>> ExecutionsAsync(string runId) => ExecutionsAsync(Database, runId);

    /// <summary>The executions the test steps recorded in <paramref name="database"/> for the run, in order.</summary>
    public static async Task<IReadOnlyList<(string Step, string Replica, string Outcome)>> ExecutionsAsync(NpgsqlDataSource database, string runId)
    {
        await using var command = database.CreateCommand("SELECT step, replica, outcome FROM public.test_step_executions WHERE run_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(runId) });
        await using var reader = await command.ExecuteReaderAsync();
        var executions = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            executions.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return executions;
    }

    /// <summary>How often each step of the run was started.</summary>
    public async Task<Dictionary<string, int>> StartsByStepAsync(string runId) =>
        (await ExecutionsAsync(runId)).Where(execution => execution.Outcome == "started")
            .GroupBy(execution => execution.Step).ToDictionary(group => group.Key, group => group.Count());

    public async Task WaitForStartAsync(string runId, string step) => await Eventually.ThatAsync(
        async () => (await ExecutionsAsync(runId)).Any(execution => execution.Step == step && execution.Outcome == "started"),
        Deadline, $"step {step} of run {runId} to start");

    /// <summary>Lets the step of the run blocked by <c>block</c> go on.</summary>
    public async Task OpenGateAsync(string runId, string step)
    {
        await using var command = Database.CreateCommand("INSERT INTO public.test_step_gates (run_id, step) VALUES ($1, $2) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(runId) });
        command.Parameters.Add(new NpgsqlParameter { Value = step });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What the extract step reads for the run parameter <c>source</c> = <paramref name="source"/>.</summary>
    public async Task SetSourceAsync(string source, string content)
    {
        await using var command = Database.CreateCommand("""
            INSERT INTO public.test_step_sources (source, content) VALUES ($1, $2)
            ON CONFLICT (source) DO UPDATE SET content = excluded.content
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = content });
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await Postgres.InitializeAsync();
        _database = Postgres.CreateDataSource();
        await TestStepTables.CreateAsync(_database);
        await StartHostAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        await Postgres.DisposeAsync();
        await Broker.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
