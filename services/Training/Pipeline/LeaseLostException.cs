namespace CreditRisk.Training.Pipeline;

/// <summary>A fenced write found the run no longer held by this replica's lease: another replica owns it now.</summary>
public sealed class LeaseLostException(RunLease lease)
    : Exception($"The lease on run {lease.RunId} (token {lease.Token}) is no longer held by {lease.Owner}.")
{
    public RunLease Lease { get; } = lease;
}
