using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

/// <summary>The broker program's command-line options, run as a separate process.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Partitions_option_sets_the_partition_count_of_auto_created_topics()
    {
        using var data = new TemporaryDirectory("devbroker-cli-partitions");
        await using var broker = await DevBrokerProcess.StartAsync(data.Path, extraArguments: ["--partitions", "3"]);
        var topic = TopicNames.Unique("auto-created");

        using (var producer = new ProducerBuilder<string, string>(KafkaTestConfigs.Producer(broker.BootstrapServers)).Build())
        {
            var report = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);
            Assert.Equal(PersistenceStatus.Persisted, report.Status);
        }

        using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
        await admin.WaitForTopicAsync(topic, 3, Deadline);
    }

    [Fact]
    public async Task Auto_create_false_rejects_records_for_unknown_topics()
    {
        using var data = new TemporaryDirectory("devbroker-cli-no-auto-create");
        await using var broker = await DevBrokerProcess.StartAsync(data.Path, extraArguments: ["--auto-create", "false"]);
        var topic = TopicNames.Unique("not-created");

        var config = KafkaTestConfigs.Producer(broker.BootstrapServers);
        config.MessageTimeoutMs = 5_000;
        using (var producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build())
        {
            var error = await Assert.ThrowsAsync<ProduceException<string, string>>(
                () => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken));
            Assert.Contains(error.Error.Code, new[] { ErrorCode.UnknownTopicOrPart, ErrorCode.Local_UnknownTopic, ErrorCode.Local_MsgTimedOut });
        }

        using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
        Assert.DoesNotContain(admin.GetMetadata(Deadline).Topics, t => t.Topic == topic && t.Error.Code == ErrorCode.NoError);

        // Explicit creation still works.
        await admin.CreateTopicAsync(topic, 2);
    }
}
