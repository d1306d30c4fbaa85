using CreditRisk.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class OutboxExtensions
{
    /// <summary>
    /// The service's outbox in <paramref name="table"/> (its migrations create it: <see cref="OutboxTable.CreateSql"/>):
    /// the writer, the signal that wakes the relay after a commit, the relay and, unless
    /// <paramref name="configSection"/>:RelayEnabled is false, the relay's hosted service. Needs the Kafka event bus.
    /// </summary>
    /// <param name="relayLockId">Only for a table whose relays predate the library: the lock they hold, so old and new
    /// replicas still exclude each other during an upgrade.</param>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder, string configSection, string table, long? relayLockId = null)
    {
        var outboxTable = new OutboxTable(table, relayLockId);
        var services = builder.Services;
        services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(configSection)).Configure(options =>
        {
            options.Table = outboxTable.Name;
            options.RelayLockId = relayLockId;
        });
        services.TryAddSingleton(TimeProvider.System);
        builder.AddKafkaEventBus();
        services.TryAddSingleton<OutboxWriter>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxRelay>();
        if (builder.Configuration.GetValue($"{configSection}:{nameof(OutboxOptions.RelayEnabled)}", true))
        {
            services.AddHostedService<OutboxRelayService>();
        }
        return builder;
    }
}
