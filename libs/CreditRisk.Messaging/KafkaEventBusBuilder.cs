using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Messaging.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Messaging;

/// <summary>Adds subscriptions, and topics of the service's own, to the event bus registered by <c>AddKafkaEventBus</c>.</summary>
public sealed class KafkaEventBusBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> (from its catalogue topic unless options say otherwise) and
    /// hands each one to a scoped <typeparamref name="THandler"/>.
    /// </summary>
    public KafkaEventBusBuilder AddSubscription<TEvent, THandler>(Action<SubscriptionOptions>? configure = null)
        where TEvent : IIntegrationEvent, new()
        where THandler : class, IEventHandler<TEvent>
    {
        var options = new SubscriptionOptions();
        configure?.Invoke(options);
        var subscription = new Subscription<TEvent, THandler>(options);

        Services.AddScoped<THandler>();
        Services.AddSingleton<IHostedService>(provider =>
            ActivatorUtilities.CreateInstance<KafkaSubscriptionService<TEvent, THandler>>(provider, subscription));
        return this;
    }

    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> a batch at a time (one transaction per batch, say) and hands each batch to
    /// a scoped <typeparamref name="THandler"/>; offsets are stored once the batch is handled or dead-lettered.
    /// </summary>
    public KafkaEventBusBuilder AddBatchSubscription<TEvent, THandler>(Action<BatchSubscriptionOptions>? configure = null)
        where TEvent : IIntegrationEvent, new()
        where THandler : class, IEventBatchHandler<TEvent>
    {
        var options = new BatchSubscriptionOptions();
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchWait, TimeSpan.Zero);
        var subscription = new BatchSubscription<TEvent, THandler>(options);

        Services.AddScoped<THandler>();
        Services.AddSingleton<IHostedService>(provider =>
            ActivatorUtilities.CreateInstance<KafkaBatchSubscriptionService<TEvent, THandler>>(provider, subscription));
        return this;
    }

    /// <summary>
    /// Provisions <paramref name="topic"/> at start-up together with the catalogue's topics (when Kafka:ProvisionTopics
    /// is on): for a topic the service owns that is not in the catalogue.
    /// </summary>
    public KafkaEventBusBuilder AddTopic(TopicDefinition topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Services.Configure<TopicProvisioningOptions>(options => options.Topics.Add(topic));
        return this;
    }
}
