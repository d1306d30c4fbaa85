namespace CreditRisk.Training.Pipeline;

/// <summary>A claim on a run: every state write names it and changes nothing unless the run is still held by it.</summary>
public sealed record RunLease(Guid RunId, string Owner, long Token);
