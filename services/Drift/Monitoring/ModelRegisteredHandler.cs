using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Fetches a newly registered version's reference profile from the registry before its first window closes (a window
/// of a version registered before the service started fetches it then). A version without a profile is recorded with
/// the reason, counted and logged; the registry being unreachable is retried.
/// </summary>
public sealed class ModelRegisteredHandler(ReferenceProfiles references, ILogger<ModelRegisteredHandler> logger) : IEventHandler<ModelVersionRegistered>
{
    public async Task HandleAsync(ModelVersionRegistered @event, EventContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(@event.ModelName) || @event.Version <= 0)
        {
            throw new PoisonEventException($"model version registration without a model name or version ({@event.ModelName} v{@event.Version})");
        }
        var lookup = await references.GetAsync(@event.ModelName, @event.Version, cancellationToken);
        if (lookup.Reference is { } reference)
        {
            logger.LogDebug("{Model} v{Version}: reference of {Features} features ready", @event.ModelName, @event.Version, reference.Features.Count);
        }
    }
}
