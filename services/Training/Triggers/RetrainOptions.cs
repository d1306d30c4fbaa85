namespace CreditRisk.Training.Triggers;

/// <summary>Retrain requests (configuration section <c>Training:Retrain</c>).</summary>
public sealed class RetrainOptions
{
    public const string SectionName = "Training:Retrain";

    /// <summary>After a retrain request started a run of a model, later requests for it within this time are skipped.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);
}
