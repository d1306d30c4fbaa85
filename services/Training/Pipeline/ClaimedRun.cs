namespace CreditRisk.Training.Pipeline;

/// <summary>A run this replica claimed, with the lease its writes are fenced by.</summary>
public sealed record ClaimedRun(RunLease Lease, PipelineRunRecord Run);
