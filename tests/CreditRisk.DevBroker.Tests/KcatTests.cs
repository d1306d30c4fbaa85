using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Processes;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

/// <summary>kcat (Debian's build uses an older librdkafka, 2.0.2) against the in-process broker: a second, independent client.</summary>
public sealed class KcatTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kcat_lists_metadata_produces_and_consumes_in_a_group()
    {
        if (!ExternalProcess.IsOnPath("kcat"))
        {
            Assert.Skip("kcat is not on PATH (apt-get install kcat); CI installs it.");
        }

        var topic = await broker.CreateUniqueTopicAsync("kcat", partitions: 2);
        var group = TopicNames.Unique("kcat-group");

        var list = await Kcat(["-L", "-t", topic]);
        Assert.Contains($"broker 0 at {broker.BootstrapServers}", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"topic \"{topic}\" with 2 partitions", list.StandardOutput, StringComparison.Ordinal);

        var lines = Enumerable.Range(0, 20).Select(i => $"key{i}:value{i}").ToList();
        await Kcat(["-P", "-t", topic, "-K", ":"], string.Join('\n', lines) + "\n");

        var consumed = await Kcat(["-G", group, "-c", "20", "-f", "%k=%s\\n", "-X", "auto.offset.reset=earliest", topic]);
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"key{i}=value{i}").Order(StringComparer.Ordinal),
            consumed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        // kcat's consumer commits on close: the group's offsets now cover every record.
        var offsets = await broker.Admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(group, [new TopicPartition(topic, 0), new TopicPartition(topic, 1)])]);
        Assert.Equal(20, Assert.Single(offsets).Partitions.Sum(p => Math.Max(0, p.Offset.Value)));
    }

    private async Task<ExternalProcess.Result> Kcat(IEnumerable<string> arguments, string? input = null)
    {
        var result = await ExternalProcess.RunAsync("kcat", ["-b", broker.BootstrapServers, .. arguments], input, Deadline);
        Assert.False(result.TimedOut, $"kcat {string.Join(' ', arguments)} did not finish in time.\n{result.StandardError}\n{result.StandardOutput}");
        Assert.True(result.ExitCode == 0, $"kcat {string.Join(' ', arguments)} exited with {result.ExitCode}.\n{result.StandardError}");
        return result;
    }
}
