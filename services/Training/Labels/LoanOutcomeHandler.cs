using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Training.Labels;

/// <summary>
/// Keeps each <see cref="LoanOutcomeRecorded"/> in the <see cref="LabelStore"/>. An event that can never be a label
/// (no application id, no outcome, ...) is poison: it goes to the dead-letter topic with the reason.
/// </summary>
public sealed class LoanOutcomeHandler(LabelStore labels, ILogger<LoanOutcomeHandler> logger) : IEventHandler<LoanOutcomeRecorded>
{
    public async Task HandleAsync(LoanOutcomeRecorded @event, EventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(context);
        var fact = FactOf(@event, context);
        if (!await labels.RecordAsync(fact, cancellationToken))
        {
            logger.LogDebug("Loan outcome {EventId} was already recorded; redelivery ignored", fact.EventId);
        }
    }

    internal static LoanOutcomeFact FactOf(LoanOutcomeRecorded @event, EventContext context)
    {
        var envelope = @event.Envelope ?? throw new PoisonEventException("the loan outcome has no envelope");
        Require(envelope.EventId, "envelope.event_id");
        Require(@event.ApplicationId, "application_id");
        Require(@event.CustomerId, "customer_id");
        if (@event.Outcome is not (LoanOutcome.Repaid or LoanOutcome.Defaulted))
        {
            throw new PoisonEventException($"the loan outcome of application {@event.ApplicationId} is {@event.Outcome}, neither repaid nor defaulted");
        }
        if (@event.ApplicationTime is null)
        {
            throw new PoisonEventException($"the loan outcome of application {@event.ApplicationId} has no application_time");
        }
        if (envelope.EventTime is null)
        {
            throw new PoisonEventException($"the loan outcome of application {@event.ApplicationId} has no envelope.event_time");
        }
        return new LoanOutcomeFact(
            envelope.EventId,
            @event.ApplicationId,
            @event.CustomerId,
            @event.LoanId,
            @event.Outcome,
            @event.ApplicationTime.ToDateTimeOffset(),
            envelope.EventTime.ToDateTimeOffset(),
            // A producer that left it out: the broker's record time is when the platform first had it.
            envelope.RecordedTime?.ToDateTimeOffset() ?? context.Timestamp);
    }

    private static void Require(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PoisonEventException($"the loan outcome has no {field}");
        }
    }
}
