using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using CreditRisk.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// The consumer-group coordinator of the single-node broker: Kafka's classic group protocol
/// (JoinGroup/SyncGroup/Heartbeat/LeaveGroup), committed offsets and the group admin APIs.
/// Every group has its own lock; parked JoinGroup/SyncGroup requests wait on tasks, never on threads.
/// A background loop drives the timeouts (sessions, join and sync deadlines, the initial rebalance delay).
/// </summary>
public sealed class GroupCoordinator(
    GroupCoordinatorOptions options,
    BrokerIdentity identity,
    ITopicDirectory topics,
    ILogger<GroupCoordinator> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly OffsetStore _offsets = new(
        options.DataDirectory, options.FsyncOnCommit, options.OffsetLogCompactionThresholdBytes, logger);
    private readonly CancellationTokenSource _stopping = new();
    private Task _timerLoop = Task.CompletedTask;
    private int _disposed;

    public GroupCoordinatorOptions Options { get; } = options;
    public BrokerIdentity Identity { get; } = identity;
    public ITopicDirectory Topics { get; } = topics;
    public ILogger<GroupCoordinator> Logger { get; } = logger;

    private static long NowMs => Environment.TickCount64;

    /// <summary>Loads committed offsets from disk and starts the session-timeout timer.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _offsets.Open();
        // Groups that only have offsets still exist for ListGroups/DescribeGroups, as in Kafka.
        foreach (var groupId in _offsets.GroupIds())
        {
            GetOrAddGroup(groupId);
        }
        _timerLoop = RunTimersAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Handlers for FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
    /// OffsetFetch, ListGroups, DescribeGroups and DeleteGroups.</summary>
    public IEnumerable<IApiHandler> CreateHandlers() =>
    [
        new FindCoordinatorHandler(Identity),
        new JoinGroupHandler(this),
        new SyncGroupHandler(this),
        new HeartbeatHandler(this),
        new LeaveGroupHandler(this),
        new OffsetCommitHandler(this),
        new OffsetFetchHandler(this),
        new ListGroupsHandler(this),
        new DescribeGroupsHandler(this),
        new DeleteGroupsHandler(this),
    ];

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync();
        try
        {
            await _timerLoop;
        }
        catch (OperationCanceledException)
        {
            // Expected: the loop ends by cancellation.
        }
        foreach (var group in _groups.Values)
        {
            lock (group.SyncRoot)
            {
                group.Shutdown();
            }
        }
        _offsets.Dispose();
        _stopping.Dispose();
    }

    internal Task<JoinGroupResult> JoinGroupAsync(JoinGroupCommand command)
    {
        if (command.GroupId.Length == 0)
        {
            return Task.FromResult(JoinGroupResult.Failure(ErrorCode.InvalidGroupId, command.MemberId));
        }
        if (command.SessionTimeoutMs < Options.MinSessionTimeout.TotalMilliseconds
            || command.SessionTimeoutMs > Options.MaxSessionTimeout.TotalMilliseconds)
        {
            return Task.FromResult(JoinGroupResult.Failure(ErrorCode.InvalidSessionTimeout, command.MemberId));
        }
        if (IsDisposed)
        {
            return Task.FromResult(JoinGroupResult.Failure(ErrorCode.CoordinatorNotAvailable, command.MemberId));
        }
        while (true)
        {
            var group = GetOrAddGroup(command.GroupId);
            lock (group.SyncRoot)
            {
                if (group.State != GroupState.Dead)
                {
                    return group.Join(command, NowMs);
                }
            }
            // Deleted between lookup and lock: the dictionary no longer holds it, so look again.
        }
    }

    internal Task<SyncGroupResult> SyncGroupAsync(SyncGroupCommand command)
    {
        if (command.GroupId.Length == 0)
        {
            return Task.FromResult(SyncGroupResult.Failure(ErrorCode.InvalidGroupId));
        }
        if (!TryGetGroup(command.GroupId, out var group))
        {
            return Task.FromResult(SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
        }
        lock (group.SyncRoot)
        {
            return group.State == GroupState.Dead
                ? Task.FromResult(SyncGroupResult.Failure(ErrorCode.UnknownMemberId))
                : group.Sync(command, NowMs);
        }
    }

    internal ErrorCode Heartbeat(string groupId, int generationId, string memberId)
    {
        if (groupId.Length == 0)
        {
            return ErrorCode.InvalidGroupId;
        }
        if (!TryGetGroup(groupId, out var group))
        {
            return ErrorCode.UnknownMemberId;
        }
        lock (group.SyncRoot)
        {
            return group.State == GroupState.Dead ? ErrorCode.UnknownMemberId : group.Heartbeat(generationId, memberId, NowMs);
        }
    }

    /// <summary>Returns one error per leaving member, in request order.</summary>
    internal ErrorCode[] LeaveGroup(string groupId, IReadOnlyList<LeavingMember> members)
    {
        if (groupId.Length == 0)
        {
            return [.. members.Select(_ => ErrorCode.InvalidGroupId)];
        }
        if (TryGetGroup(groupId, out var group))
        {
            lock (group.SyncRoot)
            {
                if (group.State != GroupState.Dead)
                {
                    return group.Leave(members, NowMs);
                }
            }
        }
        return [.. members.Select(_ => ErrorCode.UnknownMemberId)];
    }

    /// <summary>
    /// Validates and durably stores offsets. Returns one error per entry, in order; entries with an error
    /// are not stored. The group check and the write happen under the group's lock, so a commit cannot
    /// land after a rebalance has moved the member on to a newer generation.
    /// </summary>
    internal ErrorCode[] CommitOffsets(
        string groupId, int generationId, string memberId, string? groupInstanceId, IReadOnlyList<OffsetCommitEntry> entries)
    {
        var errors = new ErrorCode[entries.Count];
        if (IsDisposed)
        {
            Array.Fill(errors, ErrorCode.CoordinatorNotAvailable);
            return errors;
        }
        var commitTimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var accepted = new List<KeyValuePair<TopicPartition, CommittedOffset>>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            errors[i] = ValidateOffsetEntry(entry);
            if (errors[i] == ErrorCode.None)
            {
                accepted.Add(new(
                    new TopicPartition(entry.Topic, entry.Partition),
                    new CommittedOffset(entry.Offset, entry.LeaderEpoch, entry.Metadata, commitTimestampMs)));
            }
        }

        while (true)
        {
            if (!_groups.ContainsKey(groupId) && generationId >= 0)
            {
                // A generation the coordinator never issued (e.g. from before a broker restart).
                Array.Fill(errors, ErrorCode.IllegalGeneration);
                return errors;
            }
            var group = GetOrAddGroup(groupId);
            lock (group.SyncRoot)
            {
                if (group.State == GroupState.Dead)
                {
                    continue;
                }
                var groupError = group.ValidateOffsetCommit(generationId, memberId, groupInstanceId, NowMs);
                if (groupError != ErrorCode.None)
                {
                    Array.Fill(errors, groupError);
                    return errors;
                }
                try
                {
                    _offsets.Commit(groupId, accepted);
                }
                catch (Exception exception) when (exception is IOException or ObjectDisposedException)
                {
                    Logger.LogError(exception, "Could not persist committed offsets of group {GroupId}", groupId);
                    Array.Fill(errors, ErrorCode.CoordinatorNotAvailable);
                }
                return errors;
            }
        }
    }

    internal bool TryGetCommittedOffset(string groupId, TopicPartition partition, out CommittedOffset? offset) =>
        _offsets.TryGet(groupId, partition, out offset);

    internal IReadOnlyList<KeyValuePair<TopicPartition, CommittedOffset>> GetCommittedOffsets(string groupId) =>
        _offsets.GetAll(groupId);

    internal IReadOnlyList<GroupListing> ListGroups()
    {
        var listings = new List<GroupListing>(_groups.Count);
        foreach (var group in _groups.Values)
        {
            lock (group.SyncRoot)
            {
                if (group.State != GroupState.Dead)
                {
                    listings.Add(group.ToListing());
                }
            }
        }
        return listings.OrderBy(listing => listing.GroupId, StringComparer.Ordinal).ToList();
    }

    internal GroupDescription DescribeGroup(string groupId)
    {
        if (TryGetGroup(groupId, out var group))
        {
            lock (group.SyncRoot)
            {
                if (group.State != GroupState.Dead)
                {
                    return group.Describe();
                }
            }
        }
        return new GroupDescription(groupId, GroupState.Dead, "", "", []);
    }

    internal ErrorCode DeleteGroup(string groupId)
    {
        if (groupId.Length == 0)
        {
            return ErrorCode.InvalidGroupId;
        }
        if (!TryGetGroup(groupId, out var group))
        {
            return ErrorCode.GroupIdNotFound;
        }
        lock (group.SyncRoot)
        {
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.GroupIdNotFound;
            }
            if (group.State != GroupState.Empty)
            {
                return ErrorCode.NonEmptyGroup;
            }
            try
            {
                _offsets.DeleteGroup(groupId);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                Logger.LogError(exception, "Could not persist the deletion of group {GroupId}", groupId);
                return ErrorCode.CoordinatorNotAvailable;
            }
            var error = group.MarkDeleted();
            _groups.TryRemove(new KeyValuePair<string, ConsumerGroup>(groupId, group));
            Logger.LogInformation("Deleted group {GroupId}", groupId);
            return error;
        }
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private ConsumerGroup GetOrAddGroup(string groupId) =>
        _groups.GetOrAdd(groupId, id => new ConsumerGroup(id, Options.InitialRebalanceDelay, Logger));

    private bool TryGetGroup(string groupId, [NotNullWhen(true)] out ConsumerGroup? group) =>
        _groups.TryGetValue(groupId, out group);

    private ErrorCode ValidateOffsetEntry(OffsetCommitEntry entry)
    {
        if (!Topics.TryGetPartitionCount(entry.Topic, out var partitionCount)
            || entry.Partition < 0
            || entry.Partition >= partitionCount)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        if (entry.Metadata is not null && entry.Metadata.Length > Options.MaxOffsetMetadataLength)
        {
            return ErrorCode.OffsetMetadataTooLarge;
        }
        return ErrorCode.None;
    }

    private async Task RunTimersAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.TimerInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            foreach (var group in _groups.Values)
            {
                try
                {
                    lock (group.SyncRoot)
                    {
                        group.Tick(NowMs);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One broken group must not stop timeouts for all the others.
                    Logger.LogError(exception, "Group {GroupId} timer failed", group.GroupId);
                }
            }
        }
    }
}
