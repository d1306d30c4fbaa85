using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.Reflection;

namespace CreditRisk.Messaging.Publishing;

/// <summary>
/// An event its producer wrote in Protobuf binary itself (a hot path that cannot afford building the message), with
/// its type and the envelope the record's key and headers come from. <see cref="Protobuf"/> must parse as
/// <see cref="Type"/> with that envelope.
/// </summary>
public sealed record EncodedEvent(MessageDescriptor Type, EventEnvelope Envelope, byte[] Protobuf);
