namespace CreditRisk.Training.Pipeline;

/// <summary>This replica's name as a lease owner: host, process and a GUID, so that a restarted process is another owner.</summary>
public sealed class ReplicaIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
