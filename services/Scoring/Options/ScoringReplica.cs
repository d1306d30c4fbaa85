namespace CreditRisk.Scoring.Options;

/// <summary>This replica's name: its promotion consumer group's suffix and the x-served-by trailer of its answers.</summary>
public sealed class ScoringReplica(string id)
{
    public string Id { get; } = id;

    /// <summary>Scoring:InstanceId when configured, else the machine name and a random suffix (a restart is a new replica).</summary>
    public static ScoringReplica From(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.InstanceId ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..12]}");
    }
}
