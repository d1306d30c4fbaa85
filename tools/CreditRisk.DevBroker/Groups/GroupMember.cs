namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// One member of a <see cref="ConsumerGroup"/>. Mutable state guarded by the group's lock.
/// A member with a pending <see cref="JoinWaiter"/> or <see cref="SyncWaiter"/> has a request parked
/// at the coordinator and is therefore alive; otherwise its session ends at <see cref="SessionDeadlineMs"/>.
/// </summary>
internal sealed class GroupMember(string memberId)
{
    public string MemberId { get; } = memberId;
    public string? GroupInstanceId { get; set; }
    public string ClientId { get; set; } = "";
    public string ClientHost { get; set; } = "";
    public int SessionTimeoutMs { get; set; }
    public int RebalanceTimeoutMs { get; set; }
    public IReadOnlyList<GroupProtocol> Protocols { get; set; } = [];

    /// <summary>The leader's assignment for this member in the current generation.</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>Set while the member's JoinGroup waits for the join phase to complete.</summary>
    public TaskCompletionSource<JoinGroupResult>? JoinWaiter { get; set; }

    /// <summary>Set while the member's SyncGroup waits for the leader's assignments.</summary>
    public TaskCompletionSource<SyncGroupResult>? SyncWaiter { get; set; }

    /// <summary>Monotonic time (<see cref="Environment.TickCount64"/>) after which a silent member is removed.</summary>
    public long SessionDeadlineMs { get; set; }

    public bool IsAwaitingJoin => JoinWaiter is not null;
    public bool IsAwaitingSync => SyncWaiter is not null;

    public void KeepAlive(long nowMs) => SessionDeadlineMs = nowMs + SessionTimeoutMs;

    public bool Supports(string protocolName) => Protocols.Any(p => p.Name == protocolName);

    public byte[] MetadataFor(string? protocolName) =>
        Protocols.FirstOrDefault(p => p.Name == protocolName)?.Metadata ?? [];

    /// <summary>
    /// True when a rejoin carries exactly the protocols (names, order and metadata) this member already has;
    /// such a rejoin of a follower does not need a new generation.
    /// </summary>
    public bool HasSameProtocols(IReadOnlyList<GroupProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }
        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }
        return true;
    }
}
