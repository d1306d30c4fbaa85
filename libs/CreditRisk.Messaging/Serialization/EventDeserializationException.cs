namespace CreditRisk.Messaging.Serialization;

/// <summary>A record value that is not a valid event of the expected type: never retried, dead-lettered.</summary>
public sealed class EventDeserializationException(string message, Exception? inner = null) : Exception(message, inner);
