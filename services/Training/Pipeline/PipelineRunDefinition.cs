namespace CreditRisk.Training.Pipeline;

/// <summary>
/// What a pipeline run trains: fixed when the run is created and never changed, so every replica that resumes it
/// computes the same thing.
/// </summary>
/// <param name="RunId">The pipeline run's id.</param>
/// <param name="ModelName">The registered model it produces a version of, e.g. <c>credit_default</c>.</param>
/// <param name="FeatureService">The feature service whose features the model uses.</param>
/// <param name="FeatureServiceVersion">Its version, pinned at creation (never 0).</param>
/// <param name="Cutoff">Only labels known, and features recorded, by this time are used.</param>
/// <param name="Parameters">Step parameters (e.g. <c>seed</c>, <c>folds</c>, <c>trials</c>, <c>oot_fraction</c>), part of each step's cache key.</param>
/// <param name="Trigger">What started it: <c>api</c>, <c>schedule</c> or <c>drift</c>.</param>
/// <param name="DriftReportId">The drift report that asked for it, when the trigger is drift.</param>
public sealed record PipelineRunDefinition(
    Guid RunId,
    string ModelName,
    string FeatureService,
    int FeatureServiceVersion,
    DateTimeOffset Cutoff,
    IReadOnlyDictionary<string, string> Parameters,
    string Trigger,
    string? DriftReportId)
{
    public string Parameter(string name, string defaultValue) => Parameters.TryGetValue(name, out var value) ? value : defaultValue;
}
