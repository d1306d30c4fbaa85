using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Contracts.Events.V1;

/// <summary>Builds envelopes with a fresh event id; the schema version is the contracts' one.</summary>
public static class EventEnvelopeFactory
{
    /// <summary>Schema version of every v1 event payload; bump with a breaking-but-compatible change.</summary>
    public const int CurrentSchemaVersion = 1;

    public static EventEnvelope Create(string entityKey, DateTimeOffset eventTime, string source, TimeProvider? clock = null) => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        EntityKey = entityKey,
        EventTime = Timestamp.FromDateTimeOffset(eventTime),
        RecordedTime = Timestamp.FromDateTimeOffset((clock ?? TimeProvider.System).GetUtcNow()),
        Source = source,
        SchemaVersion = CurrentSchemaVersion,
    };
}
