using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Drift.Tests.Support;
using CreditRisk.Messaging;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;

namespace CreditRisk.Drift.Tests;

/// <summary>What the drift service does with redeliveries, restarts and bad records: nothing lost, nothing counted twice.</summary>
public sealed class StreamRecoveryTests(DriftEnvironment environment) : IClassFixture<DriftEnvironment>
{
    private static readonly CreditApplications Data = CreditApplications.Data;

    [Fact]
    public async Task A_restart_mid_window_and_redelivered_predictions_lose_and_double_nothing()
    {
        var model = DriftEnvironment.NewModelName();
        var version = await environment.RegisterAsync(model);
        await using var database = new PostgresFixture();
        await database.InitializeAsync();
        var group = $"drift-{Guid.NewGuid():N}";
        var predictions = Data.Predictions(model, version, 0, 550, shift: false, tag: model).Select(p => p.Prediction).ToList();

        await using (var first = await environment.StartMonitorAsync(model, database: database, consumerGroup: group))
        {
            // 300 predictions, 50 of them published twice (a producer's retry): one window of 200 and 100 pending.
            await first.PublishAsync(predictions.Take(300).Concat(predictions.Take(50)));
            await Eventually.ThatAsync(async () => await first.CountedAsync() == 300, DriftMonitor.Deadline, "300 predictions counted");
            await first.WaitForReportsAsync(1);
            // Published while the service is down: read from the committed offsets on restart.
            await first.Host.DisposeAsync();
            await environment.PublishAsync(predictions.Skip(300));
        }

        await using var second = await environment.StartMonitorAsync(model, database: database, consumerGroup: group);
        // Redelivered again after the restart, as a consumer whose offsets were not committed would see them.
        await second.PublishAsync(predictions.Skip(100).Take(100));
        var reports = await second.WaitForReportsAsync(2);
        await Eventually.ThatAsync(async () => await second.CountedAsync() == 550, DriftMonitor.Deadline, "550 predictions counted");

        Assert.Equal(2, reports.Count);
        Assert.All(reports, report => Assert.Equal(200, report.SampleSize));
        Assert.Equal(550, await second.ScalarAsync("SELECT count(DISTINCT seq) FROM drift.predictions p JOIN drift.streams s USING (stream_id) WHERE s.model_name = $1", model));
        Assert.Equal(549, await second.ScalarAsync("SELECT max(seq) FROM drift.predictions p JOIN drift.streams s USING (stream_id) WHERE s.model_name = $1", model));
        Assert.Equal(400, await second.ScalarAsync("SELECT closed_until FROM drift.streams WHERE model_name = $1", model));
        Assert.Equal(0, await second.ScalarAsync("""
            SELECT count(*) FROM drift.windows a JOIN drift.windows b ON a.stream_id = b.stream_id AND a.report_id < b.report_id
            AND a.start_seq < b.end_seq AND b.start_seq < a.end_seq WHERE a.model_name = $1
            """, model));
    }

    [Fact]
    public async Task Bad_records_are_dead_lettered_or_counted_and_monitoring_goes_on()
    {
        var model = DriftEnvironment.NewModelName();
        var version = await environment.RegisterAsync(model);
        var unprofiled = await environment.RegisterAsync(model, withProfile: false);
        await using var monitor = await environment.StartMonitorAsync(model);

        var malformed = Data.Predictions(model, version, 0, 1, shift: false, tag: $"{model}-bad")[0].Prediction;
        malformed.DefaultProbability = 1.7;
        var withoutFeature = Data.Predictions(model, version, 1, 1, shift: false, tag: $"{model}-short")[0].Prediction;
        withoutFeature.Features.RemoveAt(0);
        withoutFeature.FeatureStatuses.RemoveAt(0);
        await monitor.PublishAsync([malformed, withoutFeature]);
        using (var producer = new ProducerBuilder<byte[], byte[]>(KafkaTestConfigs.Producer(environment.Broker.BootstrapServers)).Build())
        {
            await producer.ProduceAsync(TopicCatalogue.Predictions.Name, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(model),
                Value = [0xff, 0xfe, 0x01],
                Headers = new Headers { { MessageHeaders.MessageType, Encoding.UTF8.GetBytes(PredictionLogged.Descriptor.FullName) } },
            }, TestContext.Current.CancellationToken);
        }
        await monitor.PublishAsync(Data.Predictions(model, version, 2, 199, shift: false, tag: model).Select(p => p.Prediction));
        await monitor.PublishAsync(Data.Predictions(model, unprofiled, 0, 200, shift: false, tag: $"{model}-v{unprofiled}").Select(p => p.Prediction));

        var report = (await monitor.WaitForReportsAsync(1))[0];
        Assert.Equal(version, report.ModelVersion);
        Assert.Equal(1, report.SchemaMismatches);
        Assert.Equal(199, report.SampleSize);
        await Eventually.ThatAsync(async () => await monitor.ScalarAsync(
            "SELECT count(*) FROM drift.windows WHERE model_name = $1 AND model_version = $2 AND status = 'no_profile'", model, unprofiled) == 1,
            DriftMonitor.Deadline, "the unprofiled version's window");
        Assert.Contains("without a reference profile", await monitor.ScalarTextAsync(
            "SELECT missing_reason FROM drift.reference_profiles WHERE model_name = $1 AND model_version = $2", model, unprofiled), StringComparison.Ordinal);

        var deadLetters = new List<ConsumeResult<byte[]?, byte[]?>>();
        // Other tests' services on the same topic dead-letter the undecodable record as well; this test looks for its own two.
        await Eventually.ThatAsync(() =>
        {
            deadLetters = [.. TopicReader.ReadAll(environment.Broker.BootstrapServers, TopicCatalogue.Predictions.ToDeadLetter().Name)
                .Where(record => record.Key() == model || record.Key() == malformed.Envelope.EntityKey)];
            return deadLetters.Select(record => record.Message.Value?.Length == 3).Distinct().Count() == 2;
        }, DriftMonitor.Deadline, "the two dead letters");
        Assert.Contains(deadLetters, record => record.Header(MessageHeaders.DeadLetterReason).Contains("default_probability 1.7", StringComparison.Ordinal));
        Assert.Contains(deadLetters, record => record.Key() == model && record.Message.Value is { Length: 3 });
    }
}
