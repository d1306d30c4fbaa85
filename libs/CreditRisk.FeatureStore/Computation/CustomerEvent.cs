using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// A raw customer event reduced to what window aggregation needs: its source type, event time, measure
/// (see <see cref="SourceEvent"/>) and id.
/// </summary>
public readonly record struct CustomerEvent(SourceEvent Source, DateTimeOffset EventTime, double Measure, string EventId)
{
    public static CustomerEvent From(TransactionRecorded transaction) => new(
        SourceEvent.TransactionRecorded, transaction.Envelope.EventTime.ToDateTimeOffset(), transaction.Amount, transaction.Envelope.EventId);

    public static CustomerEvent From(RepaymentRecorded repayment) => new(
        SourceEvent.RepaymentRecorded, repayment.Envelope.EventTime.ToDateTimeOffset(), repayment.DaysPastDue, repayment.Envelope.EventId);

    public static CustomerEvent From(LoanApplicationSubmitted application) => new(
        SourceEvent.LoanApplicationSubmitted, application.Envelope.EventTime.ToDateTimeOffset(),
        application.Application?.Amount ?? 0, application.Envelope.EventId);

    /// <summary>From any of the three customer events; throws for another type.</summary>
    public static CustomerEvent From(IIntegrationEvent integrationEvent) => integrationEvent switch
    {
        TransactionRecorded transaction => From(transaction),
        RepaymentRecorded repayment => From(repayment),
        LoanApplicationSubmitted application => From(application),
        _ => throw new ArgumentException($"{integrationEvent.GetType().Name} is not a customer feature source.", nameof(integrationEvent)),
    };
}
