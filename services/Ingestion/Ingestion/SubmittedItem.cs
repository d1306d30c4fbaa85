using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Ingestion.Idempotency;

namespace CreditRisk.Ingestion.Ingestion;

/// <summary>One event of a submission on its way through validate → reserve → publish → confirm.</summary>
internal sealed class SubmittedItem(int index, string kind, IIntegrationEvent? @event, SubmitResult result)
{
    public int Index { get; } = index;

    /// <summary>"application", "transaction", "repayment" or "outcome": the oneof case, also the field path prefix.</summary>
    public string Kind { get; } = kind;

    /// <summary>The event as it will be published (recorded time and source stamped); null when there is none.</summary>
    public IIntegrationEvent? Event { get; } = @event;

    public string ContentHash { get; set; } = "";

    public Reservation Reservation { get; set; }

    public SubmitResult Result { get; } = result;

    public string EventId => Result.EventId;
}
