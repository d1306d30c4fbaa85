using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.Reflection;

namespace CreditRisk.Messaging.Serialization;

/// <summary>
/// Frames event values on the wire. Handlers only ever see typed events, so another framing (e.g. the
/// schema-registry wire format: magic byte, schema id, message indexes) replaces this without them changing.
/// </summary>
public interface IEventSerializer
{
    /// <summary>Written to the content-type header.</summary>
    string ContentType { get; }

    byte[] Serialize(IIntegrationEvent @event);

    /// <summary>The value for an event its producer already wrote in Protobuf binary (<see cref="Publishing.EncodedEvent"/>).</summary>
    byte[] Frame(MessageDescriptor eventType, byte[] protobuf);

    /// <summary>Parses a value of <paramref name="eventType"/>; throws <see cref="EventDeserializationException"/> when it cannot.</summary>
    IIntegrationEvent Deserialize(ReadOnlySpan<byte> value, MessageDescriptor eventType);
}
