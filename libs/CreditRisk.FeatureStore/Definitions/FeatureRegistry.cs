namespace CreditRisk.FeatureStore;

/// <summary>
/// The catalogue of every feature view and feature service, all versions: the one source of truth the features
/// service (streaming), the offline store (training sets) and scoring (serving) share.
/// <para>
/// To change a definition, append a new version (copy the record, bump <c>Version</c>) and leave the old one in
/// place: stored data and models pinned to it stay readable. <c>FeatureRegistryTests</c> pins each version's
/// <see cref="FeatureView.Fingerprint"/>, so an in-place edit fails the build.
/// </para>
/// </summary>
public static class FeatureRegistry
{
    private static readonly TimeSpan Days30 = TimeSpan.FromDays(30);
    private static readonly TimeSpan Days90 = TimeSpan.FromDays(90);

    /// <summary>Request-time features of a loan application (computed by <see cref="ApplicationFeatures.Compute"/>).</summary>
    public static FeatureView ApplicationV1 { get; } = new(
        "application", 1, Entities.Application, SourceEvent.LoanApplicationSubmitted,
        ApplicationFeatures.Definitions, Ttl: null,
        "What the applicant states, plus derived affordability ratios; computed from the application itself.");

    /// <summary>Transaction behaviour over 30 and 90 days.</summary>
    public static FeatureView CustomerTransactionsV1 { get; } = new(
        "customer_transactions", 1, Entities.Customer, SourceEvent.TransactionRecorded,
        [
            FeatureDefinition.Windowed("txn_count_30d", FeatureValueType.Int64, Aggregation.Count, Days30, "Transactions in the last 30 days."),
            FeatureDefinition.Windowed("txn_sum_30d", FeatureValueType.Double, Aggregation.Sum, Days30, "Net amount (in − out) over 30 days."),
            FeatureDefinition.Windowed("txn_mean_30d", FeatureValueType.Double, Aggregation.Mean, Days30, "Mean signed amount over 30 days; null when none."),
            FeatureDefinition.Windowed("txn_max_30d", FeatureValueType.Double, Aggregation.Max, Days30, "Largest signed amount over 30 days; null when none."),
            FeatureDefinition.Windowed("txn_count_90d", FeatureValueType.Int64, Aggregation.Count, Days90, "Transactions in the last 90 days."),
            FeatureDefinition.Windowed("txn_sum_90d", FeatureValueType.Double, Aggregation.Sum, Days90, "Net amount (in − out) over 90 days."),
            FeatureDefinition.Windowed("txn_mean_90d", FeatureValueType.Double, Aggregation.Mean, Days90, "Mean signed amount over 90 days; null when none."),
            FeatureDefinition.Windowed("txn_max_90d", FeatureValueType.Double, Aggregation.Max, Days90, "Largest signed amount over 90 days; null when none."),
        ],
        Ttl: Days30,
        "Sliding event-time windows over TransactionRecorded (measure: signed amount).");

    /// <summary>Repayment behaviour.</summary>
    public static FeatureView CustomerRepaymentsV1 { get; } = new(
        "customer_repayments", 1, Entities.Customer, SourceEvent.RepaymentRecorded,
        [
            FeatureDefinition.Windowed("late_payments_30d", FeatureValueType.Int64, Aggregation.CountPositive, Days30, "Instalments with days past due > 0 in the last 30 days."),
            FeatureDefinition.Windowed("late_payments_90d", FeatureValueType.Int64, Aggregation.CountPositive, Days90, "Instalments with days past due > 0 in the last 90 days."),
            FeatureDefinition.Windowed("max_days_past_due_90d", FeatureValueType.Int64, Aggregation.Max, Days90, "Largest days past due in the last 90 days; null when none."),
            FeatureDefinition.Windowed("on_time_ratio_90d", FeatureValueType.Double, Aggregation.ZeroRatio, Days90, "Share of instalments with 0 days past due in the last 90 days; null when none."),
            new FeatureDefinition("days_since_last_delinquency", FeatureValueType.Int64, Aggregation.DaysSinceLastPositive, null, "Whole days since the latest late instalment; null when never late."),
        ],
        Ttl: Days90,
        "Sliding event-time windows over RepaymentRecorded (measure: days past due).");

    /// <summary>Application velocity.</summary>
    public static FeatureView CustomerApplicationsV1 { get; } = new(
        "customer_applications", 1, Entities.Customer, SourceEvent.LoanApplicationSubmitted,
        [
            FeatureDefinition.Windowed("applications_30d", FeatureValueType.Int64, Aggregation.Count, Days30, "Loan applications in the last 30 days (including the current one)."),
        ],
        Ttl: Days30,
        "Sliding event-time window over LoanApplicationSubmitted.");

    /// <summary>Every view, every version.</summary>
    public static IReadOnlyList<FeatureView> Views { get; } =
        [ApplicationV1, CustomerTransactionsV1, CustomerRepaymentsV1, CustomerApplicationsV1];

    /// <summary>The credit-default model's features, version 1.</summary>
    public static FeatureService CreditDefaultV1 { get; } = new(
        "credit_default", 1,
        [
            .. ApplicationV1.Features.Select(feature => new FeatureReference(ApplicationV1.Name, feature.Name, ApplicationV1.Version)),
            .. new[] { CustomerTransactionsV1, CustomerRepaymentsV1, CustomerApplicationsV1 }
                .SelectMany(view => view.Features.Select(feature => new FeatureReference(view.Name, feature.Name, view.Version))),
        ],
        "Application features plus customer behaviour: the input of the credit-default model.");

    /// <summary>
    /// The credit-default model on what the applicant states only (the application view), version 1: a model for
    /// applicants without history, and the service a set imported from credit_data.csv (application fields only) can train.
    /// </summary>
    public static FeatureService CreditDefaultApplicationV1 { get; } = new(
        "credit_default_application", 1,
        [.. ApplicationV1.Features.Select(feature => new FeatureReference(ApplicationV1.Name, feature.Name, ApplicationV1.Version))],
        "Application features only: the input of the credit-default model for applicants without history.");

    /// <summary>Every feature service, every version.</summary>
    public static IReadOnlyList<FeatureService> Services { get; } = [CreditDefaultV1, CreditDefaultApplicationV1];

    /// <summary>A view by name; version null = the latest.</summary>
    public static FeatureView GetView(string name, int? version = null) =>
        TryGetView(name, version, out var view)
            ? view
            : throw new KeyNotFoundException(version is null ? $"No feature view '{name}'." : $"No feature view '{name}' version {version}.");

    public static bool TryGetView(string name, int? version, out FeatureView view)
    {
        view = Views.Where(candidate => candidate.Name == name && (version is null || candidate.Version == version))
            .MaxBy(candidate => candidate.Version)!;
        return view is not null;
    }

    /// <summary>A feature service by name; version null = the latest.</summary>
    public static FeatureService GetService(string name, int? version = null) =>
        TryGetService(name, version, out var service)
            ? service
            : throw new KeyNotFoundException(version is null ? $"No feature service '{name}'." : $"No feature service '{name}' version {version}.");

    public static bool TryGetService(string name, int? version, out FeatureService service)
    {
        service = Services.Where(candidate => candidate.Name == name && (version is null || candidate.Version == version))
            .MaxBy(candidate => candidate.Version)!;
        return service is not null;
    }

    /// <summary>
    /// The windowed customer views computed from a source event type (latest version of each name): what the stream
    /// processor recomputes after applying such an event. The request-time <c>application</c> view is not among
    /// them: compute it with <see cref="ApplicationFeatures.Compute"/>.
    /// </summary>
    public static IReadOnlyList<FeatureView> ViewsFor(SourceEvent source) => StreamingViewsBySource[(int)source];

    /// <summary>Latest version of every windowed (customer) view: what the stream processor maintains.</summary>
    public static IReadOnlyList<FeatureView> StreamingViews { get; } =
        Views.Where(view => view.Entity == Entities.Customer)
            .GroupBy(view => view.Name).Select(group => group.MaxBy(view => view.Version)!).ToArray();

    // Computed once: the processor asks for every event it applies.
    private static readonly FeatureView[][] StreamingViewsBySource = Enum.GetValues<SourceEvent>()
        .Select(source => StreamingViews.Where(view => view.Source == source).ToArray()).ToArray();

    public static FeatureReference Pin(FeatureReference reference) =>
        reference with { ViewVersion = GetView(reference.View, reference.ViewVersion).Version };

    /// <summary>Resolves one reference; throws <see cref="KeyNotFoundException"/> naming what is unknown.</summary>
    public static ResolvedFeature Resolve(FeatureReference reference)
    {
        var view = GetView(reference.View, reference.ViewVersion);
        return new ResolvedFeature(view, view.GetFeature(reference.Feature));
    }

    /// <summary>Resolves a selection to pinned features, in the selection's order.</summary>
    public static IReadOnlyList<ResolvedFeature> Resolve(FeatureSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var references = selection.ServiceName is { } name
            ? GetService(name, selection.ServiceVersion).Features
            : selection.References ?? [];
        return references.Select(Resolve).ToArray();
    }

    /// <summary>
    /// Checks a selection without throwing: every problem ("customer_transactions:txn_foo: unknown feature").
    /// Empty when valid. Lets a gRPC layer build one INVALID_ARGUMENT naming each bad reference.
    /// </summary>
    public static IReadOnlyList<string> Validate(FeatureSelection selection)
    {
        var problems = new List<string>();
        if (selection.ServiceName is { } name)
        {
            if (!TryGetService(name, selection.ServiceVersion, out _))
            {
                problems.Add(selection.ServiceVersion is { } v ? $"feature_service {name}@{v}: unknown" : $"feature_service {name}: unknown");
            }
            return problems;
        }
        if (selection.References is not { Count: > 0 } references)
        {
            problems.Add("features: at least one reference required");
            return problems;
        }
        foreach (var reference in references)
        {
            if (!TryGetView(reference.View, reference.ViewVersion, out var view))
            {
                problems.Add($"{reference}: unknown feature view");
            }
            else if (!view.TryGetFeature(reference.Feature, out _))
            {
                problems.Add($"{reference}: unknown feature");
            }
        }
        return problems;
    }
}
