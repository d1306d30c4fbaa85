namespace CreditRisk.Training.Pipeline;

/// <summary>A run to create: its definition, its creator's idempotency key and whether its steps may come from the cache.</summary>
public sealed record NewPipelineRun(PipelineRunDefinition Definition, string RequestId, bool CacheEnabled);
