namespace CreditRisk.FeatureStore;

/// <summary>One feature of a view: its name, value type, aggregation and window (null = not windowed).</summary>
public sealed record FeatureDefinition(
    string Name,
    FeatureValueType ValueType,
    Aggregation Aggregation,
    TimeSpan? Window,
    string Description)
{
    /// <summary>A request-time feature taken from the source record (no aggregation, no window).</summary>
    public static FeatureDefinition Field(string name, FeatureValueType type, string description) =>
        new(name, type, Aggregation.None, null, description);

    /// <summary>A windowed aggregation over the view's source events.</summary>
    public static FeatureDefinition Windowed(string name, FeatureValueType type, Aggregation aggregation, TimeSpan window, string description) =>
        new(name, type, aggregation, window, description);
}
