using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// An alias moved (a promotion or a rollback): reconcile the model now. A failed load is the lifecycle's to record and
/// the next reconcile's to retry, so the event is never retried or dead-lettered for it.
/// </summary>
public sealed class ModelPromotedHandler(ModelLifecycle lifecycle, ScoringMetrics metrics, IOptions<ScoringOptions> options, ILogger<ModelPromotedHandler> logger)
    : IEventHandler<ModelVersionPromoted>
{
    public async Task HandleAsync(ModelVersionPromoted promoted, EventContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.ServedModels().Contains(promoted.ModelName))
        {
            return;
        }
        metrics.ServingEvent(promoted.ModelName, "promotion");
        logger.LogInformation("{Model} alias {Alias} moved v{From} -> v{To}{Rollback}", promoted.ModelName, promoted.Alias,
            promoted.FromVersion, promoted.ToVersion, promoted.IsRollback ? " (rollback)" : "");
        await lifecycle.ReconcileAsync(promoted.ModelName, promoted.IsRollback ? "rollback" : "promotion", cancellationToken);
    }
}
