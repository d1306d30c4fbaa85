using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Api;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;

namespace CreditRisk.Drift.Tests.Support;

/// <summary>A running drift service for one model, its database, and what a test asks of them.</summary>
public sealed class DriftMonitor(ServiceHost<DriftGrpcService> host, PostgresFixture database, bool ownsDatabase, string model) : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public ServiceHost<DriftGrpcService> Host { get; } = host;

    public PostgresFixture Database { get; } = database;

    public string Model { get; } = model;

    public DriftService.DriftServiceClient Client(string? apiKey = null) => Host.ClientFor<DriftService.DriftServiceClient>(apiKey ?? TestApiKeys.Reader);

    /// <summary>Publishes through the service's own publisher, as scoring and ingestion would.</summary>
    public async Task PublishAsync(IEnumerable<IIntegrationEvent> events)
    {
        var publisher = Host.Get<IEventPublisher>();
        await Task.WhenAll(events.Select(@event => publisher.PublishAsync(@event, TestContext.Current.CancellationToken)));
    }

    /// <summary>The model's reports, oldest first.</summary>
    public async Task<List<DriftReportPublished>> ReportsAsync()
    {
        var response = await Client().ListReportsAsync(new ListReportsRequest { ModelName = Model, PageSize = 100 }, cancellationToken: TestContext.Current.CancellationToken);
        return [.. response.Reports.Reverse()];
    }

    public async Task<List<DriftReportPublished>> WaitForReportsAsync(int count)
    {
        List<DriftReportPublished> reports = [];
        await Eventually.ThatAsync(async () => (reports = await ReportsAsync()).Count >= count, Deadline, $"{count} drift reports of {Model}");
        return reports;
    }

    public Task<long> ScalarAsync(string sql, params object[] parameters) => DriftDatabase.ScalarAsync(Database, sql, parameters);

    public async Task<string> ScalarTextAsync(string sql, params object[] parameters) =>
        (string)(await DriftDatabase.QueryScalarAsync(Database, sql, parameters))!;

    /// <summary>Predictions of the model counted into its streams.</summary>
    public Task<long> CountedAsync() => ScalarAsync(
        "SELECT count(*) FROM drift.predictions p JOIN drift.streams s USING (stream_id) WHERE s.model_name = $1", Model);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (ownsDatabase) await Database.DisposeAsync();
    }
}
