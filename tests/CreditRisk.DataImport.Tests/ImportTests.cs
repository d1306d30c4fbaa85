using CreditRisk.Contracts.Topics;
using CreditRisk.DataImport.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Grpc.Core;

namespace CreditRisk.DataImport.Tests;

public sealed class ImportTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static readonly SynthesisSettings Settings = new() { Seed = 7, AsOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) };

    [Fact]
    public async Task Import_through_grpc_publishes_every_event_and_a_rerun_publishes_nothing_more()
    {
        var rows = Dataset.Rows.Take(40).ToList();
        var expected = new CreditDataSynthesiser(Settings);
        var customers = rows.Select(row => expected.Synthesise(row, out _)!).ToList();
        await using var target = new GrpcImportTarget(fixture.Service.Channel, TestApiKeys.Admin, ownsChannel: false);
        var importer = new CreditDataImporter(Settings, batchSize: 250);

        var summary = await importer.ImportAsync(rows, target, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal(40, summary.RowsRead);
        Assert.Equal(0, summary.RowsSkipped);
        Assert.Equal(40, summary.For("application").Accepted);
        Assert.Equal(40, summary.For("outcome").Accepted);
        Assert.Equal(customers.Sum(c => c.Transactions.Count), summary.For("transaction").Accepted);
        Assert.Equal(customers.Sum(c => c.Repayments.Count), summary.For("repayment").Accepted);
        Assert.Equal(0, summary.Total(c => c.Rejected + c.Unavailable + c.Duplicate));
        var ours = customers.Select(c => c.CustomerId).ToHashSet();
        int Published(TopicDefinition topic) =>
            TopicReader.ReadAll(fixture.BootstrapServers, topic.Name).Count(record => ours.Contains(TopicReader.Key(record)));
        var applications = TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.LoanApplications.Name).Where(record => ours.Contains(TopicReader.Key(record)));
        Assert.Equal(ours.Order(), applications.Select(TopicReader.Key).Order());
        Assert.Equal(customers.Sum(c => c.Transactions.Count), Published(TopicCatalogue.Transactions));
        Assert.Equal(customers.Sum(c => c.Repayments.Count), Published(TopicCatalogue.Repayments));

        var rerun = await importer.ImportAsync(rows, target, progress: null, TestContext.Current.CancellationToken);

        Assert.Equal(summary.Total(c => c.Accepted), rerun.Total(c => c.Duplicate));
        Assert.Equal(0, rerun.Total(c => c.Accepted));
        Assert.Equal(40, Published(TopicCatalogue.LoanApplications));
        Assert.Equal(40, Published(TopicCatalogue.LoanOutcomes));
        Assert.Equal(customers.Sum(c => c.Transactions.Count), Published(TopicCatalogue.Transactions));
    }

    [Fact]
    public async Task Each_partition_receives_its_events_in_event_time_order()
    {
        var rows = Dataset.Rows.Skip(100).Take(30).ToList();
        await using var target = new GrpcImportTarget(fixture.Service.Channel, TestApiKeys.Admin, ownsChannel: false);
        var settings = Settings with { Seed = 8 };

        await new CreditDataImporter(settings, batchSize: 500).ImportAsync(rows, target, progress: null, TestContext.Current.CancellationToken);

        var transactions = TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.Transactions.Name)
            .Select(record => (record.Partition.Value, record.Offset.Value, Event: TopicReader.Parse<Contracts.Events.V1.TransactionRecorded>(record)))
            .Where(r => r.Event.Envelope.Source == settings.Source && rows.Any(row => ApplicationSynthesiser.CustomerId(row.RowNumber) == r.Event.CustomerId))
            .ToList();
        Assert.NotEmpty(transactions);
        foreach (var partition in transactions.GroupBy(r => r.Item1))
        {
            var times = partition.OrderBy(r => r.Item2).Select(r => r.Event.Envelope.EventTime.ToDateTimeOffset()).ToList();
            Assert.Equal(times.Order(), times);
        }
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData("unknown", StatusCode.Unauthenticated)]
    [InlineData("reader", StatusCode.PermissionDenied)]
    public async Task An_import_without_a_writer_key_is_refused_and_publishes_nothing(string? key, StatusCode expected)
    {
        var rows = Dataset.Rows.Skip(300).Take(2).ToList();
        var apiKey = key switch { null => null, "reader" => TestApiKeys.Reader, _ => "import-" + Guid.NewGuid().ToString("N") };
        await using var target = new GrpcImportTarget(fixture.Service.Channel, apiKey, ownsChannel: false);
        var settings = Settings with { Seed = 10 };

        var refusal = await Assert.ThrowsAsync<RpcException>(() =>
            new CreditDataImporter(settings, batchSize: 10).ImportAsync(rows, target, progress: null, TestContext.Current.CancellationToken));

        Assert.Equal(expected, refusal.StatusCode);
        var customers = rows.Select(row => ApplicationSynthesiser.CustomerId(row.RowNumber)).ToHashSet();
        Assert.DoesNotContain(TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.LoanApplications.Name),
            record => customers.Contains(TopicReader.Key(record)));
    }
}
