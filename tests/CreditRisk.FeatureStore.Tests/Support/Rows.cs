using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore.Tests.Support;

/// <summary>Builders of feature rows and entity keys for tests.</summary>
public static class Rows
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static EntityKey Customer(string id) => new() { Entity = "customer", Id = id };

    public static EntityKey Application(string id) => new() { Entity = "application", Id = id };

    public static FeatureRow Transactions(string customer, DateTimeOffset eventTime, DateTimeOffset createdTime, string eventId, long count, double? sum = null) =>
        new(Customer(customer), "customer_transactions", 1,
            new Dictionary<string, FeatureValue>
            {
                ["txn_count_30d"] = FeatureValues.Of(count),
                ["txn_sum_30d"] = FeatureValues.Of(sum ?? count * 10.5),
                ["txn_mean_30d"] = FeatureValues.Of((double?)null),
            },
            eventTime, createdTime, eventId);
}
