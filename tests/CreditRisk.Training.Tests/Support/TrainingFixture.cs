using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Training.Labels;
using Npgsql;

namespace CreditRisk.Training.Tests.Support;

/// <summary>A dev broker in-process, a database of its own and one training host (the real Program.cs) over both.</summary>
public sealed class TrainingFixture : IAsyncLifetime
{
    private ServiceHost<LabelStore>? _service;

    public DevBrokerFixture Broker { get; } = new();

    public PostgresFixture Postgres { get; } = new();

    public ServiceHost<LabelStore> Service => _service ?? throw new InvalidOperationException("The training fixture is not initialised.");

    public LabelStore Labels => Service.Get<LabelStore>();

    public IEventPublisher Publisher => Service.Get<IEventPublisher>();

    /// <summary>A cut-off after every test's times: all labels as they stand now.</summary>
    public static readonly DateTimeOffset EndOfTime = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Waits until the consumer has made <paramref name="applicationId"/>'s label <paramref name="outcome"/>.</summary>
    public Task WaitForLabelAsync(string applicationId, LoanOutcome outcome) => Eventually.ThatAsync(
        async () => (await Labels.LabelsKnownByAsync(EndOfTime)).Rows.Any(row => row.ApplicationId == applicationId && row.Outcome == outcome),
        Deadline, $"the label of {applicationId} to be {outcome}");

    /// <summary>How many outcome rows the store keeps for <paramref name="applicationId"/> (its history).</summary>
    public async Task<long> OutcomeRowsOfAsync(string applicationId)
    {
        await using var database = Postgres.CreateDataSource();
        await using var command = database.CreateCommand("SELECT count(*) FROM training.loan_outcomes WHERE application_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = applicationId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await Postgres.InitializeAsync();
        _service = await ServiceHost<LabelStore>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = Postgres.ConnectionString,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        await Postgres.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
