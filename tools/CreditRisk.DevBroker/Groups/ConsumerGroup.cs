using CreditRisk.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// One classic-protocol group and its rebalance state machine, modelled on Kafka's GroupMetadata and
/// GroupCoordinator: Empty → PreparingRebalance (members (re)join) → CompletingRebalance (leader
/// computes assignments) → Stable. Assignors run in the clients; this class only passes protocol
/// metadata and assignment bytes through.
/// Not thread-safe: every member, including <see cref="Tick"/>, must be called while holding
/// <see cref="SyncRoot"/>. Waiting requests get tasks whose continuations run asynchronously, so
/// completing them under the lock never runs client code inline.
/// </summary>
internal sealed class ConsumerGroup(string groupId, TimeSpan initialRebalanceDelay, ILogger logger)
{
    // Join order matters: the first member becomes leader, and the leader sees members in join order.
    private readonly OrderedDictionary<string, GroupMember> _members = new(StringComparer.Ordinal);

    // Member ids handed out with MEMBER_ID_REQUIRED that have not rejoined yet, with their expiry.
    private readonly Dictionary<string, long> _pendingMemberDeadlines = new(StringComparer.Ordinal);

    private readonly long _initialRebalanceDelayMs = (long)initialRebalanceDelay.TotalMilliseconds;
    private long _rebalanceDeadlineMs;
    private long _joinNotBeforeMs;
    private bool _isInitialRebalance;
    private long _syncDeadlineMs;

    public Lock SyncRoot { get; } = new();
    public string GroupId { get; } = groupId;
    public GroupState State { get; private set; } = GroupState.Empty;
    public int GenerationId { get; private set; }
    public string? ProtocolType { get; private set; }
    public string? ProtocolName { get; private set; }
    public string? LeaderId { get; private set; }

    public Task<JoinGroupResult> Join(JoinGroupCommand command, long nowMs)
    {
        if (!AcceptsProtocols(command))
        {
            return Completed(JoinGroupResult.Failure(ErrorCode.InconsistentGroupProtocol, command.MemberId));
        }

        if (command.MemberId.Length == 0)
        {
            var memberId = $"{command.GroupInstanceId ?? command.ClientId}-{Guid.NewGuid()}";
            if (command.GroupInstanceId is not null)
            {
                // Static membership is served as dynamic: a new incarnation replaces (fences) the old one.
                var previous = FindByInstanceId(command.GroupInstanceId);
                if (previous is not null)
                {
                    RemoveMember(previous, nowMs, ErrorCode.FencedInstanceId);
                }
            }
            else if (command.RequireKnownMemberId)
            {
                _pendingMemberDeadlines[memberId] = nowMs + command.SessionTimeoutMs;
                return Completed(JoinGroupResult.Failure(ErrorCode.MemberIdRequired, memberId));
            }
            return AddMemberAndRebalance(memberId, command, nowMs);
        }

        if (_pendingMemberDeadlines.Remove(command.MemberId))
        {
            return AddMemberAndRebalance(command.MemberId, command, nowMs);
        }
        if (!_members.TryGetValue(command.MemberId, out var member))
        {
            return Completed(JoinGroupResult.Failure(ErrorCode.UnknownMemberId, command.MemberId));
        }
        return RejoinKnownMember(member, command, nowMs);
    }

    public Task<SyncGroupResult> Sync(SyncGroupCommand command, long nowMs)
    {
        if (!_members.TryGetValue(command.MemberId, out var member))
        {
            return Completed(SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
        }
        if (command.GenerationId != GenerationId)
        {
            return Completed(SyncGroupResult.Failure(ErrorCode.IllegalGeneration));
        }
        if ((command.ProtocolType is not null && command.ProtocolType != ProtocolType)
            || (command.ProtocolName is not null && command.ProtocolName != ProtocolName))
        {
            return Completed(SyncGroupResult.Failure(ErrorCode.InconsistentGroupProtocol));
        }

        switch (State)
        {
            case GroupState.PreparingRebalance:
                return Completed(SyncGroupResult.Failure(ErrorCode.RebalanceInProgress));

            case GroupState.CompletingRebalance:
                member.SyncWaiter?.TrySetResult(SyncGroupResult.Failure(ErrorCode.RebalanceInProgress));
                member.SyncWaiter = new TaskCompletionSource<SyncGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                member.KeepAlive(nowMs);
                var waiter = member.SyncWaiter.Task;
                if (member.MemberId == LeaderId)
                {
                    CompleteSync(command.Assignments, nowMs);
                }
                return waiter;

            case GroupState.Stable:
                // A follower that syncs after the leader, or a retried sync: hand out the stored assignment.
                member.KeepAlive(nowMs);
                return Completed(new SyncGroupResult(ErrorCode.None, ProtocolType, ProtocolName, member.Assignment));

            default:
                return Completed(SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
        }
    }

    public ErrorCode Heartbeat(int generationId, string memberId, long nowMs)
    {
        if (!_members.TryGetValue(memberId, out var member))
        {
            return ErrorCode.UnknownMemberId;
        }
        if (generationId != GenerationId)
        {
            return ErrorCode.IllegalGeneration;
        }
        switch (State)
        {
            case GroupState.Stable:
            case GroupState.CompletingRebalance:
                member.KeepAlive(nowMs);
                return ErrorCode.None;
            case GroupState.PreparingRebalance:
                // This is how members of a running generation learn they must rejoin.
                member.KeepAlive(nowMs);
                return ErrorCode.RebalanceInProgress;
            default:
                return ErrorCode.UnknownMemberId;
        }
    }

    /// <summary>Removes the given members; returns one error per entry, in order.</summary>
    public ErrorCode[] Leave(IReadOnlyList<LeavingMember> leaving, long nowMs)
    {
        var errors = new ErrorCode[leaving.Count];
        for (var i = 0; i < leaving.Count; i++)
        {
            var (memberId, instanceId) = (leaving[i].MemberId, leaving[i].GroupInstanceId);
            var member = memberId.Length > 0
                ? _members.GetValueOrDefault(memberId)
                : instanceId is null ? null : FindByInstanceId(instanceId);
            if (member is null)
            {
                if (memberId.Length > 0 && _pendingMemberDeadlines.Remove(memberId))
                {
                    errors[i] = ErrorCode.None;
                    TryCompleteJoin(nowMs);
                }
                else
                {
                    errors[i] = ErrorCode.UnknownMemberId;
                }
                continue;
            }
            if (instanceId is not null && member.GroupInstanceId is not null && instanceId != member.GroupInstanceId)
            {
                errors[i] = ErrorCode.FencedInstanceId;
                continue;
            }
            logger.LogInformation("Member {MemberId} left group {GroupId}", member.MemberId, GroupId);
            RemoveMember(member, nowMs, ErrorCode.UnknownMemberId);
            errors[i] = ErrorCode.None;
        }
        return errors;
    }

    /// <summary>
    /// Whether an OffsetCommit with this generation and member may write offsets now, following Kafka's
    /// ClassicGroup.validateOffsetCommit. Generation -1 is a "simple" commit (manual assignment or admin
    /// tools), accepted only while the group has no members so it cannot clobber a running generation.
    /// </summary>
    public ErrorCode ValidateOffsetCommit(int generationId, string memberId, string? groupInstanceId, long nowMs)
    {
        if (State == GroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }
        if (generationId < 0 && State == GroupState.Empty)
        {
            return ErrorCode.None;
        }
        if (generationId >= 0 || memberId.Length > 0 || groupInstanceId is not null)
        {
            if (!_members.TryGetValue(memberId, out var member))
            {
                return ErrorCode.UnknownMemberId;
            }
            if (generationId != GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }
            member.KeepAlive(nowMs);
        }
        else if (State != GroupState.Empty)
        {
            return ErrorCode.UnknownMemberId;
        }
        // The member has its new generation from JoinGroup but no assignment yet; it must sync first.
        return State == GroupState.CompletingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    /// <summary>Marks the group deleted; only legal while it has no members.</summary>
    public ErrorCode MarkDeleted()
    {
        if (State == GroupState.Dead)
        {
            return ErrorCode.GroupIdNotFound;
        }
        if (State != GroupState.Empty)
        {
            return ErrorCode.NonEmptyGroup;
        }
        _pendingMemberDeadlines.Clear();
        State = GroupState.Dead;
        return ErrorCode.None;
    }

    /// <summary>Fails every parked request; used when the coordinator shuts down.</summary>
    public void Shutdown()
    {
        foreach (var member in _members.Values)
        {
            member.JoinWaiter?.TrySetResult(JoinGroupResult.Failure(ErrorCode.CoordinatorNotAvailable, member.MemberId));
            member.JoinWaiter = null;
            member.SyncWaiter?.TrySetResult(SyncGroupResult.Failure(ErrorCode.CoordinatorNotAvailable));
            member.SyncWaiter = null;
        }
    }

    /// <summary>Drives every timeout: session expiry, pending-member expiry, join and sync deadlines.</summary>
    public void Tick(long nowMs)
    {
        if (State == GroupState.Dead)
        {
            return;
        }

        var expiredPending = _pendingMemberDeadlines.Where(p => p.Value <= nowMs).Select(p => p.Key).ToList();
        foreach (var memberId in expiredPending)
        {
            _pendingMemberDeadlines.Remove(memberId);
        }

        var expired = _members.Values
            .Where(m => !m.IsAwaitingJoin && !m.IsAwaitingSync && m.SessionDeadlineMs <= nowMs)
            .ToList();
        foreach (var member in expired)
        {
            logger.LogInformation(
                "Member {MemberId} of group {GroupId} missed its {SessionTimeoutMs} ms session timeout; removing it",
                member.MemberId, GroupId, member.SessionTimeoutMs);
            RemoveMember(member, nowMs, ErrorCode.UnknownMemberId);
        }

        if (State == GroupState.PreparingRebalance)
        {
            TryCompleteJoin(nowMs);
        }
        else if (State == GroupState.CompletingRebalance && nowMs >= _syncDeadlineMs)
        {
            // The leader never sent its assignments: drop whoever has not synced and start over.
            var notSynced = _members.Values.Where(m => !m.IsAwaitingSync).ToList();
            logger.LogWarning(
                "Group {GroupId} generation {GenerationId}: {Count} member(s) did not sync within the rebalance timeout; removing them",
                GroupId, GenerationId, notSynced.Count);
            foreach (var member in notSynced)
            {
                RemoveMember(member, nowMs, ErrorCode.UnknownMemberId);
            }
        }
    }

    public GroupListing ToListing() => new(GroupId, ProtocolType ?? "", State);

    public GroupDescription Describe()
    {
        // Like Kafka, metadata, assignment and protocol are only reported once the generation is Stable.
        var stable = State == GroupState.Stable;
        var members = _members.Values
            .Select(m => new GroupMemberDescription(
                m.MemberId,
                m.GroupInstanceId,
                m.ClientId,
                m.ClientHost,
                stable ? m.MetadataFor(ProtocolName) : [],
                stable ? m.Assignment : []))
            .ToList();
        return new GroupDescription(GroupId, State, ProtocolType ?? "", stable ? ProtocolName ?? "" : "", members);
    }

    private bool AcceptsProtocols(JoinGroupCommand command)
    {
        if (command.ProtocolType.Length == 0 || command.Protocols.Count == 0)
        {
            return false;
        }
        var others = _members.Values.Where(m => m.MemberId != command.MemberId).ToList();
        if (others.Count == 0)
        {
            return true;
        }
        return command.ProtocolType == ProtocolType
            && command.Protocols.Any(p => others.All(m => m.Supports(p.Name)));
    }

    private GroupMember? FindByInstanceId(string groupInstanceId) =>
        _members.Values.FirstOrDefault(m => m.GroupInstanceId == groupInstanceId);

    private Task<JoinGroupResult> AddMemberAndRebalance(string memberId, JoinGroupCommand command, long nowMs)
    {
        var member = new GroupMember(memberId);
        var waiter = ParkJoin(member, command, nowMs);
        _members.Add(memberId, member);
        ProtocolType = command.ProtocolType;
        LeaderId ??= memberId;
        logger.LogInformation(
            "Member {MemberId} (client {ClientId}) joins group {GroupId} in state {State}",
            memberId, command.ClientId, GroupId, State);

        if (State == GroupState.PreparingRebalance)
        {
            if (_isInitialRebalance)
            {
                // A brand-new group keeps waiting while members keep arriving, so a burst of
                // consumers starting together lands in one generation instead of one each.
                _joinNotBeforeMs = Math.Min(Math.Max(_joinNotBeforeMs, nowMs + _initialRebalanceDelayMs), _rebalanceDeadlineMs);
            }
            TryCompleteJoin(nowMs);
        }
        else
        {
            PrepareRebalance(nowMs, $"member {memberId} joined");
        }
        return waiter;
    }

    private Task<JoinGroupResult> RejoinKnownMember(GroupMember member, JoinGroupCommand command, long nowMs)
    {
        switch (State)
        {
            case GroupState.PreparingRebalance:
            {
                var waiter = ParkJoin(member, command, nowMs);
                TryCompleteJoin(nowMs);
                return waiter;
            }
            case GroupState.CompletingRebalance when member.HasSameProtocols(command.Protocols):
                // The member lost our JoinGroup response and asks again: repeat it.
                return Completed(BuildJoinResult(member));
            case GroupState.Stable when member.MemberId != LeaderId && member.HasSameProtocols(command.Protocols):
                // Nothing changed for a follower: let it sync into the current generation.
                return Completed(BuildJoinResult(member));
            case GroupState.CompletingRebalance:
            case GroupState.Stable:
            {
                // Changed metadata (e.g. cooperative-sticky after revoking) or a leader rejoin: new generation.
                var waiter = ParkJoin(member, command, nowMs);
                PrepareRebalance(nowMs, $"member {member.MemberId} rejoined with new metadata");
                return waiter;
            }
            default:
                return Completed(JoinGroupResult.Failure(ErrorCode.UnknownMemberId, member.MemberId));
        }
    }

    /// <summary>Copies the join request into the member and parks a waiter for the join phase's end.</summary>
    private static Task<JoinGroupResult> ParkJoin(GroupMember member, JoinGroupCommand command, long nowMs)
    {
        // A duplicate join replaces the earlier one; answer the old request so it does not hang.
        member.JoinWaiter?.TrySetResult(JoinGroupResult.Failure(ErrorCode.RebalanceInProgress, member.MemberId));
        member.GroupInstanceId = command.GroupInstanceId;
        member.ClientId = command.ClientId;
        member.ClientHost = command.ClientHost;
        member.SessionTimeoutMs = command.SessionTimeoutMs;
        member.RebalanceTimeoutMs = command.RebalanceTimeoutMs;
        member.Protocols = command.Protocols;
        member.KeepAlive(nowMs);
        member.JoinWaiter = new TaskCompletionSource<JoinGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        return member.JoinWaiter.Task;
    }

    private void PrepareRebalance(long nowMs, string reason)
    {
        if (State == GroupState.CompletingRebalance)
        {
            foreach (var member in _members.Values)
            {
                member.SyncWaiter?.TrySetResult(SyncGroupResult.Failure(ErrorCode.RebalanceInProgress));
                member.SyncWaiter = null;
            }
        }

        _isInitialRebalance = State == GroupState.Empty;
        State = GroupState.PreparingRebalance;
        var rebalanceTimeoutMs = _members.Count == 0 ? 0 : _members.Values.Max(m => m.RebalanceTimeoutMs);
        _rebalanceDeadlineMs = nowMs + rebalanceTimeoutMs;
        _joinNotBeforeMs = _isInitialRebalance ? Math.Min(nowMs + _initialRebalanceDelayMs, _rebalanceDeadlineMs) : nowMs;
        logger.LogInformation(
            "Group {GroupId} preparing rebalance from generation {GenerationId}: {Reason}", GroupId, GenerationId, reason);
        TryCompleteJoin(nowMs);
    }

    private void TryCompleteJoin(long nowMs)
    {
        if (State != GroupState.PreparingRebalance)
        {
            return;
        }
        bool ready;
        if (_members.Count == 0 && _pendingMemberDeadlines.Count == 0)
        {
            ready = true;
        }
        else if (_isInitialRebalance)
        {
            ready = nowMs >= _joinNotBeforeMs;
        }
        else
        {
            ready = _pendingMemberDeadlines.Count == 0 && _members.Values.All(m => m.IsAwaitingJoin);
        }
        if (ready || nowMs >= _rebalanceDeadlineMs)
        {
            CompleteJoin(nowMs);
        }
    }

    private void CompleteJoin(long nowMs)
    {
        // Members that did not rejoin before the rebalance timeout are out of the new generation.
        foreach (var member in _members.Values.Where(m => !m.IsAwaitingJoin).ToList())
        {
            logger.LogInformation(
                "Member {MemberId} did not rejoin group {GroupId} in time; removing it", member.MemberId, GroupId);
            _members.Remove(member.MemberId);
        }
        if (LeaderId is null || !_members.ContainsKey(LeaderId))
        {
            LeaderId = _members.Count > 0 ? _members.GetAt(0).Key : null;
        }

        GenerationId++;
        if (_members.Count == 0)
        {
            State = GroupState.Empty;
            ProtocolName = null;
            LeaderId = null;
            logger.LogInformation("Group {GroupId} is empty at generation {GenerationId}", GroupId, GenerationId);
            return;
        }

        ProtocolName = SelectProtocol();
        State = GroupState.CompletingRebalance;
        _syncDeadlineMs = nowMs + _members.Values.Max(m => m.RebalanceTimeoutMs);
        logger.LogInformation(
            "Group {GroupId} generation {GenerationId}: {MemberCount} member(s), protocol {Protocol}, leader {LeaderId}",
            GroupId, GenerationId, _members.Count, ProtocolName, LeaderId);

        foreach (var member in _members.Values)
        {
            var waiter = member.JoinWaiter!;
            member.JoinWaiter = null;
            member.Assignment = [];
            member.KeepAlive(nowMs);
            waiter.TrySetResult(BuildJoinResult(member));
        }
    }

    private void CompleteSync(IReadOnlyDictionary<string, byte[]> assignments, long nowMs)
    {
        State = GroupState.Stable;
        logger.LogInformation("Group {GroupId} generation {GenerationId} is stable", GroupId, GenerationId);
        foreach (var member in _members.Values)
        {
            member.Assignment = assignments.GetValueOrDefault(member.MemberId) ?? [];
            member.KeepAlive(nowMs);
            var waiter = member.SyncWaiter;
            member.SyncWaiter = null;
            waiter?.TrySetResult(new SyncGroupResult(ErrorCode.None, ProtocolType, ProtocolName, member.Assignment));
        }
    }

    /// <summary>
    /// Kafka's rule: among the protocols every member supports, each member votes for the first one in
    /// its own preference order and the most votes win; ties go to the leader's preference.
    /// </summary>
    private string SelectProtocol()
    {
        var leader = _members[LeaderId!];
        var candidates = leader.Protocols
            .Select(p => p.Name)
            .Where(name => _members.Values.All(m => m.Supports(name)))
            .ToList();
        if (candidates.Count == 0)
        {
            // Unreachable while joins are validated against the other members; keep the leader's choice.
            return leader.Protocols[0].Name;
        }
        var votes = candidates.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            var choice = member.Protocols.First(p => votes.ContainsKey(p.Name)).Name;
            votes[choice]++;
        }
        return candidates.MaxBy(name => votes[name])!;
    }

    private JoinGroupResult BuildJoinResult(GroupMember member)
    {
        IReadOnlyList<JoinedMember> members = member.MemberId == LeaderId
            ? _members.Values.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName))).ToList()
            : [];
        return new JoinGroupResult(ErrorCode.None, GenerationId, ProtocolType, ProtocolName, LeaderId ?? "", member.MemberId, members);
    }

    private void RemoveMember(GroupMember member, long nowMs, ErrorCode errorForParkedRequests)
    {
        member.JoinWaiter?.TrySetResult(JoinGroupResult.Failure(errorForParkedRequests, member.MemberId));
        member.JoinWaiter = null;
        member.SyncWaiter?.TrySetResult(SyncGroupResult.Failure(errorForParkedRequests));
        member.SyncWaiter = null;
        if (!_members.Remove(member.MemberId))
        {
            // Already dropped by a join phase that completed while a caller was iterating.
            return;
        }
        if (LeaderId == member.MemberId)
        {
            LeaderId = _members.Count > 0 ? _members.GetAt(0).Key : null;
        }

        switch (State)
        {
            case GroupState.Stable:
            case GroupState.CompletingRebalance:
                PrepareRebalance(nowMs, $"member {member.MemberId} left");
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(nowMs);
                break;
        }
    }

    private static Task<T> Completed<T>(T result) => Task.FromResult(result);
}
