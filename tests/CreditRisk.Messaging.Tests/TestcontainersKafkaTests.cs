using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.Kafka;

namespace CreditRisk.Messaging.Tests;

/// <summary>
/// The same round trip against real Apache Kafka in a container. Runs where a Docker engine answers;
/// elsewhere it reports itself skipped with the reason (the dev-broker tests above run everywhere).
/// </summary>
public sealed class TestcontainersKafkaTests
{
    [Fact]
    public async Task Events_round_trip_through_real_apache_kafka()
    {
        var unavailable = DockerEngine.WhyUnavailable();
        if (unavailable is not null)
        {
            Assert.Skip($"Docker engine not available ({unavailable}); the dev-broker tests cover this path here.");
        }

        await using var kafka = new KafkaBuilder("confluentinc/cp-kafka:7.5.0").Build();
        await kafka.StartAsync(TestContext.Current.CancellationToken);
        var recorder = new Recorder();
        await using var host = await EventBusHost.StartAsync(
            kafka.GetBootstrapAddress(),
            bus => bus.AddSubscription<TransactionRecorded, RecordingHandler<TransactionRecorded>>(o => o.GroupId = "testcontainers"),
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("a")));
        var @event = TestEvents.Transaction("C-1");

        await host.Get<IEventPublisher>().PublishAsync(@event, TestContext.Current.CancellationToken);

        await Eventually.ThatAsync(() => recorder.Handled.Count == 1, TimeSpan.FromSeconds(120), "the event to be handled");
        Assert.Equal(@event, recorder.Handled[0].Event);
    }
}
