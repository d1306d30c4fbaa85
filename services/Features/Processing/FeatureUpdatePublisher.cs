using System.Security.Cryptography;
using System.Text;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Messaging.Publishing;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CreditRisk.Features.Processing;

/// <summary>
/// Publishes FeatureVectorUpdated for vectors written online. The event id is derived from the row's
/// idempotency key (entity, view, version, source event id), so a batch redone after a crash republishes the
/// same ids and consumers deduplicate as they do any redelivery.
/// </summary>
public sealed class FeatureUpdatePublisher(IEventPublisher publisher, IOptions<FeatureProcessorOptions> options, TimeProvider clock)
{
    public const string Source = "features";

    public async Task PublishAsync(IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken)
    {
        if (!options.Value.PublishFeatureUpdates || rows.Count == 0)
        {
            return;
        }
        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var events = new IIntegrationEvent[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            events[i] = ToEvent(rows[i], now);
        }
        await publisher.PublishBatchAsync(events, options.Value.FeatureUpdatesTopic, cancellationToken);
    }

    public static FeatureVectorUpdated ToEvent(FeatureRow row, Timestamp recordedTime)
    {
        var eventTime = Timestamp.FromDateTimeOffset(row.EventTime);
        var @event = new FeatureVectorUpdated
        {
            Envelope = new EventEnvelope
            {
                EventId = EventIdOf(row),
                EntityKey = $"{row.Entity.Entity}:{row.Entity.Id}",
                EventTime = eventTime,
                RecordedTime = recordedTime,
                Source = Source,
                SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
            },
            Entity = row.Entity.Clone(),
            FeatureView = row.FeatureView,
            FeatureViewVersion = row.ViewVersion,
            SourceEventId = row.EventId,
        };
        // The row's values are shared, not copied: nothing mutates a computed value. Their order is the view's.
        foreach (var (name, value) in row.Values)
        {
            @event.Features.Add(new Feature { Name = name, Value = value, EventTime = eventTime });
        }
        return @event;
    }

    /// <summary>A name-based UUID (SHA-256 of the idempotency key, version/variant bits set like UUIDv8).</summary>
    public static string EventIdOf(FeatureRow row)
    {
        var key = $"{row.Entity.Entity}\u001f{row.Entity.Id}\u001f{row.FeatureView}\u001f{row.ViewVersion}\u001f{row.EventId}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
