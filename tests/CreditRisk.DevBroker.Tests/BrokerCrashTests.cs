using System.Collections.Concurrent;
using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

/// <summary>The broker runs as a separate process here and is killed with SIGKILL mid-stream.</summary>
public sealed class BrokerCrashTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Idempotent_producer_writes_each_record_exactly_once_in_order_across_broker_kills()
    {
        using var data = new TemporaryDirectory("devbroker-idempotence");
        var broker = await DevBrokerProcess.StartAsync(data.Path);
        try
        {
            const int partitions = 3;
            var topic = TopicNames.Unique("idempotence");
            using (var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build())
            {
                await admin.CreateTopicAsync(topic, partitions);
            }

            var config = KafkaTestConfigs.Producer(broker.BootstrapServers);
            config.EnableIdempotence = true;
            config.MaxInFlight = 5;
            config.MessageTimeoutMs = 180_000;
            config.LingerMs = 5;
            config.BatchSize = 16 * 1024;
            config.QueueBufferingMaxMessages = 20_000;
            config.RetryBackoffMs = 50;
            config.ReconnectBackoffMs = 50;
            config.ReconnectBackoffMaxMs = 500;

            var errors = new ConcurrentQueue<string>();
            long delivered = 0;
            var produced = new int[partitions];
            using var producer = new ProducerBuilder<string, string>(config)
                .SetErrorHandler((_, e) => { if (e.IsFatal) errors.Enqueue($"fatal: {e}"); })
                .SetLogHandler((_, _) => { }) // the kills make librdkafka log connection errors, which are expected here
                .Build();

            using var stop = new CancellationTokenSource();
            var producing = Task.Factory.StartNew(
                () =>
                {
                    var sequence = 0;
                    while (!stop.IsCancellationRequested)
                    {
                        var partition = sequence % partitions;
                        var message = new Message<string, string> { Key = $"k{partition}", Value = $"{partition}:{produced[partition]:D8}" };
                        try
                        {
                            producer.Produce(new TopicPartition(topic, partition), message, report =>
                            {
                                if (report.Error.IsError)
                                {
                                    errors.Enqueue($"{report.Message.Value}: {report.Error}");
                                }
                                else
                                {
                                    Interlocked.Increment(ref delivered);
                                }
                            });
                            produced[partition]++;
                            sequence++;
                        }
                        catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                        {
                            producer.Poll(TimeSpan.FromMilliseconds(50));
                        }
                    }
                },
                TaskCreationOptions.LongRunning);

            // Two SIGKILLs while the producer has batches in flight; each restart reuses data folder and port.
            foreach (var threshold in new[] { 20_000L, 60_000L })
            {
                await Eventually.ThatAsync(() => Interlocked.Read(ref delivered) >= threshold, Deadline, $"{threshold} deliveries");
                broker.Kill();
                Assert.True(producer.Flush(TimeSpan.Zero) > 0, "no records were outstanding when the broker was killed");
                broker = await broker.RestartAsync();
            }

            await Eventually.ThatAsync(() => Interlocked.Read(ref delivered) >= 100_000, Deadline, "deliveries after the last restart");
            await stop.CancelAsync();
            await producing;
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(180)));

            Assert.Empty(errors);
            for (var partition = 0; partition < partitions; partition++)
            {
                var records = PartitionReader.ReadAll(broker.BootstrapServers, topic, partition);
                var expected = Enumerable.Range(0, produced[partition]).Select(i => $"{partition}:{i:D8}").ToList();
                var actual = records.Select(r => r.Message.Value).ToList();
                var duplicates = actual.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
                Assert.True(duplicates.Count == 0, $"partition {partition} holds duplicates, e.g. {string.Join(", ", duplicates)}");
                Assert.Equal(expected.Count, actual.Count);
                Assert.Equal(expected, actual);
                Assert.Equal(Enumerable.Range(0, produced[partition]).Select(i => (long)i), records.Select(r => r.Offset.Value));
            }
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- broker output ---\n{broker.Output}", e);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Acknowledged_records_and_committed_offsets_survive_a_broker_kill()
    {
        using var data = new TemporaryDirectory("devbroker-durability");
        var broker = await DevBrokerProcess.StartAsync(data.Path);
        try
        {
            const int partitions = 2;
            var topic = TopicNames.Unique("durability");
            var group = TopicNames.Unique("durability-group");
            using (var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build())
            {
                await admin.CreateTopicAsync(topic, partitions);
            }

            var config = KafkaTestConfigs.Producer(broker.BootstrapServers);
            config.Acks = Acks.All;
            config.MessageTimeoutMs = 180_000;
            config.ReconnectBackoffMaxMs = 500;
            var acked = new ConcurrentQueue<(TopicPartitionOffset Position, string Value)>();
            var errors = new ConcurrentQueue<string>();
            using var producer = new ProducerBuilder<string, string>(config)
                .SetLogHandler((_, _) => { }) // the kill makes librdkafka log connection errors, which are expected here
                .Build();

            void Produce(int from, int count)
            {
                for (var i = from; i < from + count; i++)
                {
                    var value = $"record-{i:D7}";
                    producer.Produce(topic, new Message<string, string> { Key = $"key-{i}", Value = value }, report =>
                    {
                        if (report.Error.IsError)
                        {
                            errors.Enqueue($"{value}: {report.Error}");
                        }
                        else
                        {
                            acked.Enqueue((report.TopicPartitionOffset, value));
                        }
                    });
                }
            }

            Produce(0, 5_000);
            Assert.Equal(0, producer.Flush(Deadline));

            // A consumer group reads part of the topic and commits synchronously.
            var committed = new List<TopicPartitionOffset>();
            using (var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(broker.BootstrapServers, group)).Build())
            {
                consumer.Subscribe(topic);
                var consumed = consumer.ConsumeUpTo(2_000, Deadline);
                Assert.Equal(2_000, consumed.Count);
                committed.AddRange(consumed
                    .GroupBy(r => r.TopicPartition)
                    .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));
                consumer.Commit(committed);
                consumer.Close();
            }

            // More records are in flight when the broker is killed; those acknowledged before or after must be kept.
            Produce(5_000, 50_000);
            await Eventually.ThatAsync(() => acked.Count >= 15_000, Deadline, "some deliveries of the second batch");
            broker.Kill();
            var ackedBeforeKill = acked.Count;
            broker = await broker.RestartAsync();
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(180)));

            Assert.Empty(errors);
            Assert.True(ackedBeforeKill >= 15_000);
            var expected = acked.ToList();
            for (var partition = 0; partition < partitions; partition++)
            {
                var stored = PartitionReader.ReadAll(broker.BootstrapServers, topic, partition)
                    .ToDictionary(r => r.Offset.Value, r => r.Message.Value);
                foreach (var (position, value) in expected.Where(a => a.Position.Partition.Value == partition))
                {
                    Assert.True(stored.TryGetValue(position.Offset.Value, out var storedValue), $"acknowledged {value} at {position} is missing after the kill");
                    Assert.Equal(value, storedValue);
                }
            }

            using (var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(broker.BootstrapServers, group)).Build())
            {
                var afterRestart = consumer.Committed(committed.Select(c => c.TopicPartition), Deadline);
                Assert.Equal(
                    committed.OrderBy(c => c.Partition.Value).Select(c => (c.Partition.Value, c.Offset.Value)),
                    afterRestart.OrderBy(c => c.Partition.Value).Select(c => (c.Partition.Value, c.Offset.Value)));

                // The group resumes exactly where it committed.
                consumer.Subscribe(topic);
                var next = consumer.ConsumeUpTo(partitions, Deadline);
                Assert.NotEmpty(next);
                var committedByPartition = committed.ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
                foreach (var first in next.GroupBy(r => r.Partition.Value).Select(g => g.First()))
                {
                    Assert.Equal(committedByPartition.GetValueOrDefault(first.Partition.Value, 0), first.Offset.Value);
                }

                consumer.Close();
            }
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- broker output ---\n{broker.Output}", e);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }
}
