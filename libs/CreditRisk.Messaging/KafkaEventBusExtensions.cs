using CreditRisk.Messaging;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Provisioning;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class KafkaEventBusExtensions
{
    /// <summary>
    /// The Kafka event bus: an <see cref="IEventPublisher"/>, topic provisioning at start-up, a health
    /// check, and a builder for subscriptions. Configuration section "Kafka" (Kafka__BootstrapServers, ...).
    /// </summary>
    public static KafkaEventBusBuilder AddKafkaEventBus(this IHostApplicationBuilder builder, Action<KafkaOptions>? configure = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<KafkaOptions>().Bind(builder.Configuration.GetSection(KafkaOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventSerializer, ProtobufEventSerializer>();
        services.TryAddSingleton<KafkaClientHealth>();
        services.TryAddSingleton<KafkaClientFactory>();
        services.TryAddSingleton<KafkaProducerConnection>();
        services.TryAddSingleton<IEventPublisher, KafkaEventPublisher>();
        services.TryAddSingleton<DeadLetterPublisher>();

        // Registered before any subscription, so topics exist before the first consumer subscribes.
        if (!services.Any(service => service.ImplementationType == typeof(TopicProvisioner)))
        {
            services.AddHostedService<TopicProvisioner>();
            // A fatal client error needs a restart, so it fails liveness as well as readiness.
            services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: ["live", "ready"]);
        }
        return new KafkaEventBusBuilder(services);
    }
}
