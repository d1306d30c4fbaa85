using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Messaging.Consuming;

/// <summary>One record of a batch, deserialised, with where it came from.</summary>
public sealed record ConsumedEvent<TEvent>(TEvent Event, EventContext Context) where TEvent : IIntegrationEvent;
