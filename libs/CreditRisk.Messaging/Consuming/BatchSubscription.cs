using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;

namespace CreditRisk.Messaging.Consuming;

/// <summary>One registered batch subscription: which events, which batch handler, how.</summary>
public sealed class BatchSubscription<TEvent, THandler>(BatchSubscriptionOptions options)
    where TEvent : IIntegrationEvent, new()
    where THandler : class, IEventBatchHandler<TEvent>
{
    public BatchSubscriptionOptions Options { get; } = options;

    public string Topic => Options.Subscription.Topic ?? TopicCatalogue.For<TEvent>().Name;
}
