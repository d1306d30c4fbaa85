namespace CreditRisk.Training.Pipeline;

/// <summary>
/// What a run of one model trains unless its creator says otherwise: <c>Training:Models:&lt;model name&gt;</c> with
/// <c>FeatureService</c>, <c>FeatureServiceVersion</c> and <c>Parameters:&lt;name&gt;</c>.
/// </summary>
public sealed class TrainingModelOptions
{
    public const string SectionName = "Training:Models";

    public string FeatureService { get; set; } = "";

    public int FeatureServiceVersion { get; set; }

    /// <summary>The run's parameters by default; a run may override these names and no others.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);
}
