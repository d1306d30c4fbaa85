using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Models;

/// <summary>An operator changed a model's arms or weights: reconcile it now (the registry is read, so an old event changes nothing).</summary>
public sealed class ServingExperimentChangedHandler(ModelLifecycle lifecycle, ScoringMetrics metrics, ServedModels served, IOptions<ScoringOptions> options,
    ILogger<ServingExperimentChangedHandler> logger) : IEventHandler<ServingExperimentChanged>
{
    public async Task HandleAsync(ServingExperimentChanged changed, EventContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.ServedModels().Contains(changed.ModelName))
        {
            return;
        }
        metrics.ServingEvent(changed.ModelName, "experiment");
        if (served.StateOf(changed.ModelName) is { } state && state.Revision >= changed.Revision)
        {
            return;
        }
        logger.LogInformation("Experiment of {Model} changed to revision {Revision} by {Actor}: {Reason}",
            changed.ModelName, changed.Revision, changed.Actor, changed.Reason);
        await lifecycle.ReconcileAsync(changed.ModelName, "experiment", cancellationToken);
    }
}
