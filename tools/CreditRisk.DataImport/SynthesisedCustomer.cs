using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.DataImport;

/// <summary>One applicant's events: behaviour before the application, the application, and its outcome.</summary>
public sealed record SynthesisedCustomer(
    CreditDataRow Row,
    string CustomerId,
    DateTimeOffset ApplicationTime,
    LoanApplicationSubmitted Application,
    LoanOutcomeRecorded? Outcome,
    IReadOnlyList<TransactionRecorded> Transactions,
    IReadOnlyList<RepaymentRecorded> Repayments)
{
    /// <summary>Every event of the customer, in event-time order.</summary>
    public IEnumerable<IIntegrationEvent> Events =>
        Transactions.Cast<IIntegrationEvent>()
            .Concat(Repayments)
            .Append(Application)
            .Concat(Outcome is null ? [] : [Outcome])
            .OrderBy(@event => @event.Envelope.EventTime.ToDateTimeOffset());
}
