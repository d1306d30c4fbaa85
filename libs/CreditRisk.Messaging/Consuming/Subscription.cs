using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;

namespace CreditRisk.Messaging.Consuming;

/// <summary>One registered subscription: which events, which handler, how.</summary>
public sealed class Subscription<TEvent, THandler>(SubscriptionOptions options)
    where TEvent : IIntegrationEvent, new()
    where THandler : class, IEventHandler<TEvent>
{
    public SubscriptionOptions Options { get; } = options;

    public string Topic => Options.Topic ?? TopicCatalogue.For<TEvent>().Name;
}
