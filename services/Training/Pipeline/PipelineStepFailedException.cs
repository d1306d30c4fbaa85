namespace CreditRisk.Training.Pipeline;

/// <summary>A step failure no retry can fix (bad input, a failed validation check): the run fails with <see cref="Exception.Message"/> as its reason.</summary>
public sealed class PipelineStepFailedException(string reason, Exception? inner = null) : Exception(reason, inner);
