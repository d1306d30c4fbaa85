namespace CreditRisk.Messaging.Consuming;

/// <summary>Thrown by a handler for an event that can never succeed (e.g. it violates an invariant): no retries.</summary>
public sealed class PoisonEventException(string reason, Exception? inner = null) : Exception(reason, inner);
