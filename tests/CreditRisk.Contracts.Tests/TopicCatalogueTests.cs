using CreditRisk.Contracts.Events.V1;
using CreditRisk.Testing.Events;
using CreditRisk.Contracts.Topics;

namespace CreditRisk.Contracts.Tests;

public sealed class TopicCatalogueTests
{
    [Fact]
    public void Every_topic_has_a_key_a_value_type_with_an_envelope_and_partitions()
    {
        Assert.NotEmpty(TopicCatalogue.All);
        Assert.All(TopicCatalogue.All, topic =>
        {
            Assert.False(string.IsNullOrWhiteSpace(topic.Key), $"{topic.Name} has no key");
            Assert.NotNull(topic.ValueType);
            Assert.Equal(EventEnvelope.Descriptor, topic.ValueType.FindFieldByName("envelope")?.MessageType);
            Assert.True(topic.Partitions > 0, $"{topic.Name} has no partitions");
            Assert.Contains(topic.Configs["cleanup.policy"], new[] { "delete", "compact", "compact,delete" });
        });
    }

    [Fact]
    public void Topic_names_are_unique_versioned_and_follow_the_convention()
    {
        var names = TopicCatalogue.All.Select(topic => topic.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(TopicCatalogue.EventTopics, topic => Assert.Matches(@"^creditrisk\.[a-z-]+\.v\d+$", topic.Name));
    }

    [Fact]
    public void Every_event_type_has_exactly_one_event_topic_and_a_dead_letter_topic()
    {
        foreach (var sample in SampleEvents.All)
        {
            var topic = TopicCatalogue.For(sample.Descriptor);

            Assert.Single(TopicCatalogue.EventTopics, t => t.ValueType == sample.Descriptor);
            Assert.True(TopicCatalogue.TryGetByName(topic.Name + ".dlq", out var deadLetter), $"{topic.Name} has no DLQ");
            Assert.Equal(TopicRole.DeadLetter, deadLetter.Role);
            Assert.Equal(topic.ValueType, deadLetter.ValueType);
        }
    }

    [Fact]
    public void Generic_lookup_finds_the_topic_of_an_event_type()
    {
        Assert.Equal("creditrisk.applications.v1", TopicCatalogue.For<LoanApplicationSubmitted>().Name);
        Assert.Equal("creditrisk.model-promotions.v1", TopicCatalogue.For<ModelVersionPromoted>().Name);
    }

    [Fact]
    public void Retention_is_written_as_kafka_milliseconds()
    {
        Assert.Equal("31536000000", TopicCatalogue.LoanApplications.Configs["retention.ms"]);
        Assert.Equal("compact,delete", TopicCatalogue.FeatureUpdates.Configs["cleanup.policy"]);
    }
}
