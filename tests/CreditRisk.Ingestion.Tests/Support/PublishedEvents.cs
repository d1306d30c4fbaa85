using Confluent.Kafka;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>What ingestion published, found by event id.</summary>
public static class PublishedEvents
{
    /// <summary>The records of <paramref name="topic"/> whose event-id header is <paramref name="eventId"/>.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> WithEventId(string bootstrapServers, TopicDefinition topic, string eventId) =>
        [.. TopicReader.ReadAll(bootstrapServers, topic.Name).Where(record => record.Header(MessageHeaders.EventId) == eventId)];

    /// <summary>How many records carry <paramref name="eventId"/> across the four raw topics.</summary>
    public static int CountAcrossRawTopics(string bootstrapServers, string eventId) =>
        new[] { TopicCatalogue.LoanApplications, TopicCatalogue.Transactions, TopicCatalogue.Repayments, TopicCatalogue.LoanOutcomes }
            .Sum(topic => WithEventId(bootstrapServers, topic, eventId).Count);
}
