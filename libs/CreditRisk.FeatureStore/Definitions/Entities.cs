namespace CreditRisk.FeatureStore;

/// <summary>The entities of the platform.</summary>
public static class Entities
{
    public static Entity Customer { get; } = new("customer", "customer_id", "A borrower; behavioural features are keyed by customer.");

    public static Entity Application { get; } = new("application", "application_id", "One loan application; request-time features.");

    public static IReadOnlyList<Entity> All { get; } = [Customer, Application];
}
