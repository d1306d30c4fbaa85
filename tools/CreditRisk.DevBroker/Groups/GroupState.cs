namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// Classic-protocol group states. The names are the strings Kafka reports in ListGroups and
/// DescribeGroups, so <see cref="Enum.ToString()"/> is the wire value.
/// </summary>
internal enum GroupState
{
    /// <summary>No members; the group may still hold committed offsets.</summary>
    Empty,

    /// <summary>Waiting for members to (re)join before the next generation starts.</summary>
    PreparingRebalance,

    /// <summary>Generation chosen; waiting for the leader's SyncGroup with the assignments.</summary>
    CompletingRebalance,

    /// <summary>Every member has its assignment.</summary>
    Stable,

    /// <summary>Deleted; a request that still holds this instance must look the group up again.</summary>
    Dead,
}
