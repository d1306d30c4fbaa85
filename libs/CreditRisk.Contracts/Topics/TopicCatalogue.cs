using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.Reflection;

namespace CreditRisk.Contracts.Topics;

/// <summary>
/// Every topic of the platform, in one place: services provision from it and publish/subscribe by
/// event type through it, so a topic name is never typed twice.
/// </summary>
public static class TopicCatalogue
{
    private static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);
    private static readonly TimeSpan OneYear = TimeSpan.FromDays(365);

    // Raw events are kept a year: the features service can be rebuilt by replaying them.
    public static readonly TopicDefinition LoanApplications = new(
        "creditrisk.applications.v1", "customer_id", LoanApplicationSubmitted.Descriptor, 6, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition Transactions = new(
        "creditrisk.transactions.v1", "customer_id", TransactionRecorded.Descriptor, 6, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition Repayments = new(
        "creditrisk.repayments.v1", "customer_id", RepaymentRecorded.Descriptor, 6, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition LoanOutcomes = new(
        "creditrisk.loan-outcomes.v1", "customer_id", LoanOutcomeRecorded.Descriptor, 6, CleanupPolicy.Delete, OneYear);

    // The offline store holds the history; the topic only needs the latest vector per entity and view.
    public static readonly TopicDefinition FeatureUpdates = new(
        "creditrisk.feature-updates.v1", "entity:id", FeatureVectorUpdated.Descriptor, 6, CleanupPolicy.CompactDelete, ThirtyDays);

    public static readonly TopicDefinition Predictions = new(
        "creditrisk.predictions.v1", "customer_id", PredictionLogged.Descriptor, 6, CleanupPolicy.Delete, ThirtyDays);

    // Registry events are few and ordered per model; the registry database is their source of truth.
    public static readonly TopicDefinition ModelRegistrations = new(
        "creditrisk.model-registrations.v1", "model_name", ModelVersionRegistered.Descriptor, 1, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition ModelPromotions = new(
        "creditrisk.model-promotions.v1", "model_name", ModelVersionPromoted.Descriptor, 1, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition ServingExperiments = new(
        "creditrisk.serving-experiments.v1", "model_name", ServingExperimentChanged.Descriptor, 1, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition DriftReports = new(
        "creditrisk.drift-reports.v1", "model_name", DriftReportPublished.Descriptor, 1, CleanupPolicy.Delete, OneYear);

    public static readonly TopicDefinition RetrainRequests = new(
        "creditrisk.retrain-requests.v1", "model_name", RetrainRequested.Descriptor, 1, CleanupPolicy.Delete, ThirtyDays);

    /// <summary>The event topics, one per event type.</summary>
    public static IReadOnlyList<TopicDefinition> EventTopics { get; } =
    [
        LoanApplications, Transactions, Repayments, LoanOutcomes, FeatureUpdates,
        Predictions, ModelRegistrations, ModelPromotions, ServingExperiments, DriftReports, RetrainRequests,
    ];

    /// <summary>Every topic to provision: the event topics and their dead-letter topics.</summary>
    public static IReadOnlyList<TopicDefinition> All { get; } =
        [.. EventTopics, .. EventTopics.Select(topic => topic.ToDeadLetter())];

    private static readonly Dictionary<string, TopicDefinition> ByValueType =
        EventTopics.ToDictionary(topic => topic.ValueType!.FullName);

    private static readonly Dictionary<string, TopicDefinition> ByName =
        All.ToDictionary(topic => topic.Name);

    /// <summary>The topic that carries events of <typeparamref name="TEvent"/>.</summary>
    public static TopicDefinition For<TEvent>() where TEvent : IIntegrationEvent, new() =>
        For(new TEvent().Descriptor);

    public static TopicDefinition For(MessageDescriptor eventType) =>
        ByValueType.TryGetValue(eventType.FullName, out var topic)
            ? topic
            : throw new KeyNotFoundException($"No topic in the catalogue carries {eventType.FullName}.");

    public static bool TryGetByName(string name, out TopicDefinition topic) =>
        ByName.TryGetValue(name, out topic!);
}
