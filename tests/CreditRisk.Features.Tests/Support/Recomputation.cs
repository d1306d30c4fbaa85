using CreditRisk.Contracts.Events.V1;
using CreditRisk.FeatureStore;

namespace CreditRisk.Features.Tests.Support;

/// <summary>
/// The expected latest vectors, computed from the raw events directly through the library's
/// <see cref="CustomerFeatureState"/> (no Kafka, no stores): what the processor must end up with.
/// </summary>
public static class Recomputation
{
    /// <summary>Per customer: for each streaming view with events, its values at the view's latest event time.</summary>
    public static Dictionary<string, Dictionary<string, (DateTimeOffset EventTime, IReadOnlyDictionary<string, Contracts.Common.V1.FeatureValue> Values)>> LatestVectors(
        IEnumerable<IIntegrationEvent> events, TimeSpan allowedLateness)
    {
        var result = new Dictionary<string, Dictionary<string, (DateTimeOffset, IReadOnlyDictionary<string, Contracts.Common.V1.FeatureValue>)>>(StringComparer.Ordinal);
        foreach (var customer in events.Select(@event => (Customer: CustomerOf(@event), Event: CustomerEvent.From(@event)))
                     .GroupBy(entry => entry.Customer, StringComparer.Ordinal))
        {
            var state = new CustomerFeatureState(customer.Key, allowedLateness);
            var latest = new Dictionary<SourceEvent, DateTimeOffset>();
            foreach (var (_, customerEvent) in customer.OrderBy(entry => entry.Event.EventTime))
            {
                if (state.Apply(customerEvent) == ApplyOutcome.Accepted)
                {
                    var time = FeatureTime.Truncate(customerEvent.EventTime);
                    latest[customerEvent.Source] = latest.TryGetValue(customerEvent.Source, out var known) && known > time ? known : time;
                }
            }
            var vectors = new Dictionary<string, (DateTimeOffset, IReadOnlyDictionary<string, Contracts.Common.V1.FeatureValue>)>(StringComparer.Ordinal);
            foreach (var (source, time) in latest)
            {
                foreach (var view in FeatureRegistry.ViewsFor(source))
                {
                    vectors[view.Name] = (time, state.Compute(view, time));
                }
            }
            result[customer.Key] = vectors;
        }
        return result;
    }

    public static string CustomerOf(IIntegrationEvent @event) => @event switch
    {
        TransactionRecorded transaction => transaction.CustomerId,
        RepaymentRecorded repayment => repayment.CustomerId,
        LoanApplicationSubmitted application => application.CustomerId,
        _ => throw new ArgumentException(@event.Descriptor.Name),
    };
}
