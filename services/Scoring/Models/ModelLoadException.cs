namespace CreditRisk.Scoring.Models;

/// <summary>A model version could not be made servable; <see cref="Reason"/> is the metric's low-cardinality cause.</summary>
public sealed class ModelLoadException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>"registry", "digest", "artifact", "signature", "feature_service", "warmup".</summary>
    public string Reason { get; } = reason;
}
