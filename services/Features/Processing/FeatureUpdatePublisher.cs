using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
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

    /// <remarks>Not async: the encoded events are referenced by the publisher only until it has handed them to librdkafka.</remarks>
    public Task PublishAsync(IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken)
    {
        if (!options.Value.PublishFeatureUpdates || rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var events = new EncodedEvent[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            events[i] = Encode(rows[i], now);
        }
        return publisher.PublishBatchAsync(events, options.Value.FeatureUpdatesTopic, cancellationToken);
    }

    /// <summary>
    /// The row's FeatureVectorUpdated in Protobuf binary: every feature of the vector in the view's order, the row's
    /// event time once, in the envelope. Written from the row's store encoding
    /// (<see cref="FeatureVectorUpdatedEncoder"/>): this runs for every vector written online.
    /// </summary>
    public static EncodedEvent Encode(FeatureRow row, Timestamp recordedTime)
    {
        var header = new FeatureVectorUpdated
        {
            Envelope = new EventEnvelope
            {
                EventId = EventIdOf(row),
                EntityKey = $"{row.Entity.Entity}:{row.Entity.Id}",
                EventTime = Timestamp.FromDateTimeOffset(row.EventTime),
                RecordedTime = recordedTime,
                Source = Source,
                SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
            },
            Entity = row.Entity,   // shared: nothing mutates it
            FeatureView = row.FeatureView,
            FeatureViewVersion = row.ViewVersion,
            SourceEventId = row.EventId,
        };
        return new EncodedEvent(FeatureVectorUpdated.Descriptor, header.Envelope, FeatureVectorUpdatedEncoder.Encode(header, row));
    }

    /// <summary>
    /// A name-based UUID: the 128-bit XXH3 hash of the idempotency key, version and variant bits set as UUIDv8 does.
    /// It needs to be stable and collision-free, not secret, and is computed for every vector: a fast hash, not SHA-256.
    /// </summary>
    public static string EventIdOf(FeatureRow row)
    {
        // The key's UTF-8, written straight into a pooled buffer: this runs for every vector written online.
        const byte separator = 0x1f;
        var utf8 = Encoding.UTF8;
        var maxLength = utf8.GetMaxByteCount(row.Entity.Entity.Length + row.Entity.Id.Length + row.FeatureView.Length + row.EventId.Length) + 16;
        var buffer = ArrayPool<byte>.Shared.Rent(maxLength);
        try
        {
            var key = buffer.AsSpan();
            var length = utf8.GetBytes(row.Entity.Entity, key);
            key[length++] = separator;
            length += utf8.GetBytes(row.Entity.Id, key[length..]);
            key[length++] = separator;
            length += utf8.GetBytes(row.FeatureView, key[length..]);
            key[length++] = separator;
            row.ViewVersion.TryFormat(key[length..], out var written, provider: CultureInfo.InvariantCulture);
            length += written;
            key[length++] = separator;
            length += utf8.GetBytes(row.EventId, key[length..]);
            Span<byte> bytes = stackalloc byte[16];
            XxHash128.Hash(key[..length], bytes);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes, bigEndian: true).ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
