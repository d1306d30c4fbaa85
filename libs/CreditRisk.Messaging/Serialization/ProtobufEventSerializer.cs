using CreditRisk.Contracts.Events.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditRisk.Messaging.Serialization;

/// <summary>Plain Protobuf binary values; the message type travels in a header.</summary>
public sealed class ProtobufEventSerializer : IEventSerializer
{
    public string ContentType => "application/x-protobuf";

    public byte[] Serialize(IIntegrationEvent @event) => @event.ToByteArray();

    public byte[] Frame(MessageDescriptor eventType, byte[] protobuf) => protobuf;

    public IIntegrationEvent Deserialize(ReadOnlySpan<byte> value, MessageDescriptor eventType)
    {
        IMessage message;
        try
        {
            message = eventType.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new EventDeserializationException($"value is not a valid {eventType.FullName}: {exception.Message}", exception);
        }
        var @event = (IIntegrationEvent)message;
        // A value of another type can parse "successfully" into this one; an envelope without an id cannot be ours.
        if (@event.Envelope is null || string.IsNullOrEmpty(@event.Envelope.EventId))
        {
            throw new EventDeserializationException($"{eventType.FullName} has no envelope event id");
        }
        return @event;
    }
}
