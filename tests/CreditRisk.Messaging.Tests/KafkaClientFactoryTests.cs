using Confluent.Kafka;
using CreditRisk.Messaging.Health;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CreditRisk.Messaging.Tests;

public sealed class KafkaClientFactoryTests
{
    private static KafkaClientFactory Factory(KafkaOptions options) =>
        new(Options.Create(options), new HostingEnvironment { ApplicationName = "factory-test" }, new KafkaClientHealth());

    [Fact]
    public void A_consumer_gets_the_section_settings_under_the_library_ones()
    {
        var factory = Factory(new KafkaOptions
        {
            BootstrapServers = "broker:9092",
            StatisticsIntervalMs = 1_234,
            Consumer = { ["session.timeout.ms"] = "7000", ["enable.auto.offset.store"] = "true" },
        });

        var config = factory.ConsumerConfig("group-a");

        Assert.Equal("broker:9092", config.BootstrapServers);
        Assert.Equal("group-a", config.GroupId);
        Assert.Equal("factory-test", config.ClientId);
        Assert.Equal(7000, config.SessionTimeoutMs);
        // Offsets are stored by the consume loops once a record is done, whatever the section says.
        Assert.False(config.EnableAutoOffsetStore);
        Assert.True(config.EnableAutoCommit);
        Assert.Equal(1_234, config.StatisticsIntervalMs);
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
    }

    [Fact]
    public void Where_a_new_group_starts_and_the_client_id_can_be_configured()
    {
        var factory = Factory(new KafkaOptions { ClientId = "named", GroupId = "shared", Consumer = { ["auto.offset.reset"] = "latest" } });

        Assert.Equal(AutoOffsetReset.Latest, factory.ConsumerConfig("g").AutoOffsetReset);
        Assert.Equal("named", factory.ConsumerConfig("g").ClientId);
        Assert.Equal("shared", factory.DefaultGroupId);
        Assert.Equal("factory-test", Factory(new KafkaOptions()).DefaultGroupId);
    }

    [Fact]
    public void A_producer_gets_the_bootstrap_the_client_id_and_the_section_settings()
    {
        var config = Factory(new KafkaOptions { BootstrapServers = "broker:9092", Producer = { ["linger.ms"] = "20" } }).ProducerConfig();

        Assert.Equal(("broker:9092", "factory-test", 20.0), (config.BootstrapServers, config.ClientId, config.LingerMs));
    }

    [Fact]
    public void An_admin_client_is_named_after_its_purpose()
    {
        using var admin = Factory(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }).BuildAdminClient("provisioner", NullLogger.Instance);

        Assert.StartsWith("factory-test-provisioner#", admin.Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SyslogLevel.Critical, LogLevel.Critical)]
    [InlineData(SyslogLevel.Error, LogLevel.Error)]
    [InlineData(SyslogLevel.Warning, LogLevel.Warning)]
    [InlineData(SyslogLevel.Notice, LogLevel.Information)]
    [InlineData(SyslogLevel.Debug, LogLevel.Debug)]
    public void Librdkafka_log_levels_map_to_logger_levels(SyslogLevel level, LogLevel expected) =>
        Assert.Equal(expected, KafkaClientFactory.ToLogLevel(level));
}
