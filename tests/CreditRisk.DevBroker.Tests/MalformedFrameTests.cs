using System.Buffers.Binary;
using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

/// <summary>Broken input on one connection must not affect the broker or its other connections.</summary>
public sealed class MalformedFrameTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private const short ApiVersionsKey = 18;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_truncated_frame_followed_by_a_disconnect_leaves_the_broker_serving()
    {
        using (var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers))
        {
            var frame = RawKafkaConnection.RequestFrame(ApiVersionsKey, 0, 1, "truncated", []);
            await connection.SendAsync(frame[..(frame.Length - 5)]);
        }

        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task A_frame_announcing_a_huge_size_gets_the_connection_closed()
    {
        using (var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers))
        {
            var garbage = new byte[64];
            BinaryPrimitives.WriteInt32BigEndian(garbage, int.MaxValue - 7);
            new Random(7).NextBytes(garbage.AsSpan(4));
            await connection.SendAsync(garbage);

            Assert.True(await connection.IsClosedByBrokerWithinAsync(Deadline), "the broker kept a connection open that announced a 2 GiB request");
        }

        using (var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers))
        {
            var negative = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(negative, -12);
            await connection.SendAsync(negative);

            Assert.True(await connection.IsClosedByBrokerWithinAsync(Deadline), "the broker kept a connection open that announced a negative size");
        }

        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task An_unknown_api_key_is_answered_or_closed_and_the_broker_keeps_serving()
    {
        using (var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers))
        {
            await connection.SendAsync(RawKafkaConnection.RequestFrame(31_000, 3, 77, "unknown-api", [1, 2, 3, 4]));

            // Kafka closes the connection; an error response is acceptable too. Silence is not.
            var response = await connection.ReadFrameAsync(Deadline);
            if (response is not null)
            {
                Assert.Equal(77, BinaryPrimitives.ReadInt32BigEndian(response));
            }
        }

        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task Random_bytes_leave_the_broker_serving()
    {
        var random = new Random(1234);
        for (var round = 0; round < 5; round++)
        {
            using var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers);
            var bytes = new byte[1 + random.Next(8192)];
            random.NextBytes(bytes);
            await connection.SendAsync(bytes);
        }

        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task A_request_whose_body_is_shorter_than_it_claims_is_answered_or_closed_and_the_broker_keeps_serving()
    {
        using (var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers))
        {
            // A Metadata v1 request whose body claims 1000 topics but carries none.
            var body = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(body, 1000);
            await connection.SendAsync(RawKafkaConnection.RequestFrame(3, 1, 5, "bad-body", body));
            var response = await connection.ReadFrameAsync(Deadline);
            if (response is not null)
            {
                Assert.Equal(5, BinaryPrimitives.ReadInt32BigEndian(response));
            }
        }

        await AssertBrokerServesAsync();
    }

    private async Task AssertBrokerServesAsync()
    {
        // A second raw connection gets a valid ApiVersions v0 answer.
        using (var connection = await RawKafkaConnection.ConnectAsync(broker.BootstrapServers))
        {
            await connection.SendAsync(RawKafkaConnection.RequestFrame(ApiVersionsKey, 0, 4242, "probe", []));
            var response = await connection.ReadFrameAsync(Deadline);
            Assert.NotNull(response);
            Assert.Equal(4242, BinaryPrimitives.ReadInt32BigEndian(response));
            Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(response.AsSpan(4)));
            var count = BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(6));
            Assert.Equal(10 + (count * 6), response.Length);
            var apis = Enumerable.Range(0, count)
                .Select(i => (Key: BinaryPrimitives.ReadInt16BigEndian(response.AsSpan(10 + (i * 6))),
                              Min: BinaryPrimitives.ReadInt16BigEndian(response.AsSpan(12 + (i * 6))),
                              Max: BinaryPrimitives.ReadInt16BigEndian(response.AsSpan(14 + (i * 6)))))
                .ToList();
            Assert.Contains(apis, a => a.Key == ApiVersionsKey && a.Min == 0);
            Assert.Contains(apis, a => a.Key == 0);
            Assert.Contains(apis, a => a.Key == 1);
            Assert.All(apis, a => Assert.True(a.Min <= a.Max, $"api {a.Key}: min {a.Min} > max {a.Max}"));
        }

        // And a normal client still produces and consumes.
        var topic = await broker.CreateUniqueTopicAsync("after-garbage");
        using (var producer = broker.CreateProducer<string, string>())
        {
            var report = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "still alive" }, TestContext.Current.CancellationToken);
            Assert.Equal(0, report.Offset.Value);
        }

        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("after-garbage-group"));
        consumer.Subscribe(topic);
        Assert.Equal("still alive", Assert.Single(consumer.ConsumeUpTo(1, Deadline)).Message.Value);
    }
}
