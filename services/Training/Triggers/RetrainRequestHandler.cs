using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Training.Triggers;

/// <summary>
/// Consumes <see cref="RetrainRequested"/> (creditrisk.retrain-requests.v1, group training): each request decided
/// once (a redelivery finds its decision), its offset stored after the decision committed.
/// </summary>
public sealed class RetrainRequestHandler(RetrainDecider decider, ILogger<RetrainRequestHandler> logger) : IEventHandler<RetrainRequested>
{
    public async Task HandleAsync(RetrainRequested @event, EventContext context, CancellationToken cancellationToken)
    {
        var decision = await decider.DecideAsync(@event, cancellationToken);
        if (!decision.FirstDelivery)
        {
            logger.LogDebug("Retrain request {RequestId} was already decided ({Decision}); redelivery ignored", decision.RequestId, decision.Decision);
        }
        else if (decision.RunId is { } runId)
        {
            logger.LogInformation("Retrain request {RequestId} for model {Model} started run {RunId}", decision.RequestId, @event.ModelName, runId);
        }
        else
        {
            logger.LogInformation("Retrain request {RequestId} for model {Model} skipped: {Reason}", decision.RequestId, @event.ModelName, decision.Reason);
        }
    }
}
