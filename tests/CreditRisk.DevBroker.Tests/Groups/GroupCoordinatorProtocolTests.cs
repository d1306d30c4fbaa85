using System.Text;
using CreditRisk.DevBroker.Groups;
using CreditRisk.DevBroker.Protocol;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>
/// The coordinator's state machine and wire encodings, driven with hand-encoded requests at every
/// supported version (no socket, no client library), so each protocol rule is pinned down directly.
/// </summary>
public sealed class GroupCoordinatorProtocolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static TheoryData<short> FindCoordinatorVersions => [0, 1, 2, 3, 4];
    public static TheoryData<short> JoinGroupVersions => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    public static TheoryData<short> OffsetFetchVersions => [1, 2, 3, 4, 5, 6, 7, 8];
    public static TheoryData<short> OffsetCommitVersions => [2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(FindCoordinatorVersions))]
    public async Task FindCoordinator_names_this_broker_for_groups(short version)
    {
        await using var harness = await CoordinatorHarness.StartAsync();

        var group = await harness.Client.FindCoordinatorAsync(version, "any-group");
        Assert.Equal((ErrorCode.None, CoordinatorHarness.NodeId, CoordinatorHarness.Host, CoordinatorHarness.Port), group);

        if (version >= 1)
        {
            var transaction = await harness.Client.FindCoordinatorAsync(version, "any-transaction", keyType: 1);
            Assert.Equal(ErrorCode.CoordinatorNotAvailable, transaction.Error);
        }
    }

    [Theory]
    [MemberData(nameof(JoinGroupVersions))]
    public async Task A_single_member_joins_syncs_heartbeats_and_leaves(short joinVersion)
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var syncVersion = Math.Min(joinVersion, (short)5);
        var heartbeatVersion = Math.Min(joinVersion, (short)4);
        var leaveVersion = Math.Min(joinVersion, (short)5);

        var joined = await client.JoinNewAsync(joinVersion, "solo", Protocols("range", "roundrobin"));

        Assert.Equal(ErrorCode.None, joined.Error);
        Assert.Equal(1, joined.Generation);
        Assert.Equal("range", joined.ProtocolName);
        Assert.Equal(joinVersion >= 7 ? "consumer" : null, joined.ProtocolType);
        Assert.Equal(joined.MemberId, joined.Leader);
        Assert.StartsWith("wire-client-", joined.MemberId, StringComparison.Ordinal);
        var member = Assert.Single(joined.Members);
        Assert.Equal(Bytes("metadata-range"), member.Metadata);

        var synced = await client.SyncAsync(syncVersion, "solo", 1, joined.MemberId, Assign((joined.MemberId, "partitions")), protocolName: "range");
        Assert.Equal(ErrorCode.None, synced.Error);
        Assert.Equal(Bytes("partitions"), synced.Assignment);
        Assert.Equal(syncVersion >= 5 ? "range" : null, synced.ProtocolName);

        Assert.Equal(ErrorCode.None, await client.HeartbeatAsync(heartbeatVersion, "solo", 1, joined.MemberId));
        Assert.Equal(ErrorCode.IllegalGeneration, await client.HeartbeatAsync(heartbeatVersion, "solo", 2, joined.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync(heartbeatVersion, "solo", 1, "someone-else"));

        var left = await client.LeaveAsync(leaveVersion, "solo", joined.MemberId);
        Assert.Equal(ErrorCode.None, left.Error);
        if (leaveVersion >= 3)
        {
            Assert.Equal(ErrorCode.None, Assert.Single(left.Members).Error);
        }
        var described = Assert.Single(await client.DescribeGroupsAsync(5, "solo"));
        Assert.Equal(nameof(GroupState.Empty), described.State);
        Assert.Empty(described.Members);
    }

    [Fact]
    public async Task A_first_join_without_member_id_is_answered_with_MEMBER_ID_REQUIRED_from_v4()
    {
        await using var harness = await CoordinatorHarness.StartAsync();

        var first = await harness.Client.JoinAsync(4, "ids", "", Protocols("range"));

        Assert.Equal(ErrorCode.MemberIdRequired, first.Error);
        Assert.StartsWith("wire-client-", first.MemberId, StringComparison.Ordinal);
        var second = await harness.Client.JoinAsync(4, "ids", first.MemberId, Protocols("range"));
        Assert.Equal(ErrorCode.None, second.Error);
        Assert.Equal(first.MemberId, second.MemberId);
    }

    [Fact]
    public async Task Members_joining_together_form_one_generation_and_each_gets_its_own_assignment()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;

        var joined = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.JoinNewAsync(7, "trio", Protocols("cooperative-sticky", "range"))));

        Assert.All(joined, j => Assert.Equal((ErrorCode.None, 1, "cooperative-sticky"), (j.Error, j.Generation, j.ProtocolName)));
        var leader = Assert.Single(joined, j => j.Leader == j.MemberId);
        Assert.Equal(joined.Select(j => j.MemberId).Order(), leader.Members.Select(m => m.MemberId).Order());
        var followers = joined.Where(j => j != leader).ToList();
        Assert.All(followers, f => Assert.Empty(f.Members));

        var followerSyncs = followers.Select(f => client.SyncAsync(5, "trio", 1, f.MemberId)).ToList();
        Assert.All(followerSyncs, sync => Assert.False(sync.IsCompleted, "followers wait for the leader's assignments"));
        var assignments = Assign([.. joined.Select(j => (j.MemberId, "for " + j.MemberId))]);
        var leaderSync = await client.SyncAsync(5, "trio", 1, leader.MemberId, assignments);

        Assert.Equal(Bytes("for " + leader.MemberId), leaderSync.Assignment);
        for (var i = 0; i < followers.Count; i++)
        {
            var followerSync = await followerSyncs[i].WaitAsync(Deadline, TestContext.Current.CancellationToken);
            Assert.Equal(ErrorCode.None, followerSync.Error);
            Assert.Equal(Bytes("for " + followers[i].MemberId), followerSync.Assignment);
        }
        var described = Assert.Single(await client.DescribeGroupsAsync(5, "trio"));
        Assert.Equal((nameof(GroupState.Stable), "consumer", "cooperative-sticky"), (described.State, described.ProtocolType, described.ProtocolData));
        Assert.All(described.Members, m => Assert.Equal(("/127.0.0.1", "wire-client"), (m.ClientHost, m.ClientId)));
        Assert.All(described.Members, m => Assert.Equal(Bytes("for " + m.MemberId), m.Assignment));
    }

    [Theory]
    [MemberData(nameof(OffsetCommitVersions))]
    public async Task OffsetCommit_is_rejected_for_a_wrong_generation_an_unknown_member_or_an_unknown_partition(short version)
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var member = await StableSingleMemberAsync(client, "committers");

        var accepted = await client.CommitAsync(version, "committers", 1, member, [("orders", 0, 42, "checkpoint"), ("orders", 1, 43, null)]);
        Assert.All(accepted, p => Assert.Equal(ErrorCode.None, p.Error));

        var wrongGeneration = await client.CommitAsync(version, "committers", 2, member, [("orders", 0, 1_000, null)]);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Single(wrongGeneration).Error);
        var unknownMember = await client.CommitAsync(version, "committers", 1, "impostor", [("orders", 0, 1_000, null)]);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(unknownMember).Error);
        // Generation -1 ("simple" commit) may not overwrite offsets of a group with live members.
        var simpleCommit = await client.CommitAsync(version, "committers", -1, "", [("orders", 0, 1_000, null)]);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(simpleCommit).Error);
        var mixed = await client.CommitAsync(version, "committers", 1, member, [("missing", 0, 5, null), ("orders", 6, 5, null), ("orders", 2, 44, null)]);
        Assert.Equal([ErrorCode.UnknownTopicOrPartition, ErrorCode.UnknownTopicOrPartition, ErrorCode.None], mixed.Select(p => p.Error));

        var fetched = await client.FetchOffsetsAsync(8, "committers", [("orders", [0, 1, 2])]);
        Assert.Equal([42L, 43L, 44L], fetched.Offsets.Select(o => o.Offset));
    }

    [Fact]
    public async Task Simple_commits_with_generation_minus_one_are_accepted_for_a_group_without_members()
    {
        await using var harness = await CoordinatorHarness.StartAsync();

        var committed = await harness.Client.CommitAsync(2, "manual-assign", -1, "", [("orders", 3, 7, "meta"), ("audit", 1, 9, null)]);

        Assert.All(committed, p => Assert.Equal(ErrorCode.None, p.Error));
        var unknownGeneration = await harness.Client.CommitAsync(8, "never-joined", 3, "member", [("orders", 0, 1, null)]);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Single(unknownGeneration).Error);
        var listed = await harness.Client.ListGroupsAsync(4);
        Assert.Contains(new GroupWireClient.ListedGroup("manual-assign", "", nameof(GroupState.Empty), null), listed);
    }

    [Theory]
    [MemberData(nameof(OffsetFetchVersions))]
    public async Task OffsetFetch_returns_committed_offsets_and_minus_one_for_partitions_never_committed(short version)
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        await harness.Client.CommitAsync(8, "readers", -1, "", [("orders", 0, 42, "checkpoint"), ("audit", 1, 5, null)]);

        var requested = await harness.Client.FetchOffsetsAsync(version, "readers", [("orders", [0, 3])]);

        Assert.Equal(ErrorCode.None, requested.Error);
        var committed = requested.Offsets[0];
        Assert.Equal(("orders", 0, 42L, "checkpoint"), (committed.Topic, committed.Partition, committed.Offset, committed.Metadata));
        Assert.Equal(version >= 5 ? 7 : -1, committed.LeaderEpoch);
        Assert.Equal(("orders", 3, -1L, ErrorCode.None), (requested.Offsets[1].Topic, requested.Offsets[1].Partition, requested.Offsets[1].Offset, requested.Offsets[1].Error));

        if (version >= 2)
        {
            var all = await harness.Client.FetchOffsetsAsync(version, "readers", topics: null);
            Assert.Equal([("audit", 1, 5L), ("orders", 0, 42L)], all.Offsets.Select(o => (o.Topic, o.Partition, o.Offset)));
        }
    }

    [Fact]
    public async Task A_new_member_triggers_a_rebalance_that_existing_members_learn_from_their_heartbeats()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var first = await StableSingleMemberAsync(client, "growing");

        var newcomerId = (await client.JoinAsync(9, "growing", "", Protocols("range"))).MemberId;
        var newcomer = client.JoinAsync(9, "growing", newcomerId, Protocols("range"));
        Assert.False(newcomer.IsCompleted, "the join phase waits for the existing member");

        Assert.Equal(ErrorCode.RebalanceInProgress, await client.HeartbeatAsync(4, "growing", 1, first));
        // Committing before rejoining (e.g. in a revocation callback) is still allowed for the old generation.
        var revocationCommit = await client.CommitAsync(8, "growing", 1, first, [("orders", 0, 10, null)]);
        Assert.Equal(ErrorCode.None, Assert.Single(revocationCommit).Error);

        var rejoined = await client.JoinAsync(9, "growing", first, Protocols("range"));
        var joined = await newcomer.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        Assert.Equal((2, 2), (rejoined.Generation, joined.Generation));
        Assert.Equal(first, rejoined.Leader);
        Assert.Equal(2, rejoined.Members.Count);

        // Between JoinGroup and the leader's SyncGroup the new generation has no assignment to commit for.
        var early = await client.CommitAsync(8, "growing", 2, joined.MemberId, [("orders", 0, 11, null)]);
        Assert.Equal(ErrorCode.RebalanceInProgress, Assert.Single(early).Error);
        Assert.Equal(ErrorCode.None, await client.HeartbeatAsync(4, "growing", 2, joined.MemberId));
    }

    [Fact]
    public async Task A_follower_rejoining_with_new_metadata_starts_a_new_generation_but_an_unchanged_one_does_not()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var members = await StableGroupAsync(client, "cooperative", 2);
        var follower = members.Single(m => m.Leader != m.MemberId);
        var leader = members.Single(m => m.Leader == m.MemberId);

        var unchanged = await client.JoinAsync(9, "cooperative", follower.MemberId, Protocols("cooperative-sticky"));
        Assert.Equal((ErrorCode.None, 1), (unchanged.Error, unchanged.Generation));

        // Cooperative-sticky: after revoking partitions the member rejoins with fewer owned partitions.
        var revoked = client.JoinAsync(9, "cooperative", follower.MemberId, [("cooperative-sticky", Bytes("owned: none"))]);
        Assert.False(revoked.IsCompleted);
        Assert.Equal(ErrorCode.RebalanceInProgress, await client.HeartbeatAsync(4, "cooperative", 1, leader.MemberId));
        var leaderView = await client.JoinAsync(9, "cooperative", leader.MemberId, Protocols("cooperative-sticky"));

        Assert.Equal(2, leaderView.Generation);
        Assert.Equal(Bytes("owned: none"), leaderView.Members.Single(m => m.MemberId == follower.MemberId).Metadata);
        Assert.Equal(2, (await revoked.WaitAsync(Deadline, TestContext.Current.CancellationToken)).Generation);
    }

    [Fact]
    public async Task A_leaving_member_triggers_a_rebalance_and_batch_leave_reports_each_member()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var members = await StableGroupAsync(client, "shrinking", 3);
        var leaving = members.First(m => m.Leader != m.MemberId);
        var staying = members.Where(m => m != leaving).ToList();

        var left = await client.LeaveAsync(5, "shrinking", leaving.MemberId, "not-a-member");

        Assert.Equal([ErrorCode.None, ErrorCode.UnknownMemberId], left.Members.Select(m => m.Error));
        foreach (var member in staying)
        {
            Assert.Equal(ErrorCode.RebalanceInProgress, await client.HeartbeatAsync(4, "shrinking", 1, member.MemberId));
        }
        var rejoined = await Task.WhenAll(staying.Select(m => client.JoinAsync(9, "shrinking", m.MemberId, Protocols("cooperative-sticky"))));
        Assert.All(rejoined, r => Assert.Equal(2, r.Generation));
        Assert.Equal(staying.Select(m => m.MemberId).Order(), rejoined.Single(r => r.Leader == r.MemberId).Members.Select(m => m.MemberId).Order());
    }

    [Fact]
    public async Task A_member_that_stops_heartbeating_is_removed_after_its_session_timeout()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var silent = await client.JoinNewAsync(5, "sessions", Protocols("range"), sessionTimeoutMs: 400);
        await client.SyncAsync(5, "sessions", 1, silent.MemberId, Assign((silent.MemberId, "all")));

        // The newcomer's join can only complete once the silent member's session has expired.
        var newcomer = await client.JoinNewAsync(5, "sessions", Protocols("range"), sessionTimeoutMs: 400)
            .WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal((ErrorCode.None, 2), (newcomer.Error, newcomer.Generation));
        Assert.Equal(newcomer.MemberId, Assert.Single(newcomer.Members).MemberId);
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync(4, "sessions", 1, silent.MemberId));

        await client.SyncAsync(5, "sessions", 2, newcomer.MemberId, Assign());
        await Eventually.ThatAsync(
            async () => (await client.DescribeGroupsAsync(5, "sessions")).Single().State == nameof(GroupState.Empty),
            Deadline,
            "the last silent member to expire");
    }

    [Fact]
    public async Task A_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped_from_the_generation()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var members = await StableGroupAsync(client, "laggards", 2, rebalanceTimeoutMs: 500);
        var leader = members.Single(m => m.Leader == m.MemberId);
        var laggard = members.Single(m => m != leader);

        var newcomer = client.JoinNewAsync(9, "laggards", Protocols("cooperative-sticky"), rebalanceTimeoutMs: 500);
        Assert.Equal(ErrorCode.RebalanceInProgress, await client.HeartbeatAsync(4, "laggards", 1, laggard.MemberId));
        var rejoined = await client.JoinAsync(9, "laggards", leader.MemberId, Protocols("cooperative-sticky"), rebalanceTimeoutMs: 500)
            .WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(2, rejoined.Generation);
        Assert.DoesNotContain(rejoined.Members, m => m.MemberId == laggard.MemberId);
        Assert.Equal(2, rejoined.Members.Count);
        Assert.Equal(2, (await newcomer).Generation);
        Assert.Equal(ErrorCode.UnknownMemberId, await client.HeartbeatAsync(4, "laggards", 1, laggard.MemberId));
    }

    [Fact]
    public async Task Joins_with_incompatible_protocols_or_invalid_arguments_are_rejected()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        var member = await StableSingleMemberAsync(client, "strict");

        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await client.JoinAsync(5, "strict", "", Protocols("roundrobin"))).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await client.JoinAsync(5, "strict", "", Protocols("range"), protocolType: "connect")).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.JoinAsync(5, "strict", "unknown-member", Protocols("range"))).Error);
        Assert.Equal(ErrorCode.InvalidGroupId, (await client.JoinAsync(5, "", "", Protocols("range"))).Error);
        Assert.Equal(ErrorCode.InvalidSessionTimeout, (await client.JoinAsync(5, "other", "", Protocols("range"), sessionTimeoutMs: 10)).Error);
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await client.SyncAsync(5, "strict", 1, member, protocolName: "roundrobin")).Error);
        Assert.Equal(ErrorCode.IllegalGeneration, (await client.SyncAsync(5, "strict", 5, member)).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.SyncAsync(5, "no-such-group", 1, member)).Error);
    }

    [Fact]
    public async Task A_static_member_is_served_as_dynamic_and_a_new_instance_replaces_the_old_one()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;

        var first = await client.JoinAsync(5, "static", "", Protocols("range"), instanceId: "pod-1");
        Assert.Equal(ErrorCode.None, first.Error);
        Assert.StartsWith("pod-1-", first.MemberId, StringComparison.Ordinal);
        await client.SyncAsync(5, "static", first.Generation, first.MemberId, Assign());

        var second = await client.JoinAsync(5, "static", "", Protocols("range"), instanceId: "pod-1");

        Assert.Equal(ErrorCode.None, second.Error);
        Assert.NotEqual(first.MemberId, second.MemberId);
        Assert.Equal((second.MemberId, "pod-1"), (Assert.Single(second.Members).MemberId, second.Members[0].InstanceId));
    }

    [Fact]
    public async Task Offsets_survive_a_restart_with_a_torn_last_record_and_the_log_is_compacted()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        for (var i = 0; i < 100; i++)
        {
            await harness.Client.CommitAsync(8, "durable", -1, "", [("orders", 0, i, $"commit {i}"), ("orders", 1, 1_000 + i, null)]);
        }
        await harness.Coordinator.DisposeAsync();
        var logPath = Path.Combine(harness.DataDirectory, OffsetStore.FileName);
        var lengthBeforeCrash = new FileInfo(logPath).Length;
        await using (var log = new FileStream(logPath, FileMode.Append))
        {
            // A record header promising 64 bytes, cut short: what kill -9 mid-append leaves behind.
            log.Write([0, 0, 0, 64, 1, 2, 3, 4, 5, 6]);
        }

        await harness.RestartAsync(compactionThresholdBytes: 1_024);

        Assert.True(new FileInfo(logPath).Length < lengthBeforeCrash, "the log should have been compacted");
        var recovered = await harness.Client.FetchOffsetsAsync(8, "durable", topics: null);
        Assert.Equal([(0, 99L, "commit 99"), (1, 1_099L, null)], recovered.Offsets.Select(o => (o.Partition, o.Offset, o.Metadata)));

        // Appends after the recovered (compacted) log replay correctly too.
        await harness.Client.CommitAsync(8, "durable", -1, "", [("orders", 0, 500, null)]);
        await harness.RestartAsync();
        var afterSecondRestart = await harness.Client.FetchOffsetsAsync(8, "durable", [("orders", [0])]);
        Assert.Equal(500, Assert.Single(afterSecondRestart.Offsets).Offset);
    }

    [Fact]
    public async Task DeleteGroups_removes_an_empty_group_and_its_offsets_durably_but_refuses_an_active_one()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        await client.CommitAsync(8, "retired", -1, "", [("orders", 0, 5, null)]);
        await StableSingleMemberAsync(client, "active");

        var results = await client.DeleteGroupsAsync(2, "retired", "active", "unknown");

        Assert.Equal([ErrorCode.None, ErrorCode.NonEmptyGroup, ErrorCode.GroupIdNotFound], results.Select(r => r.Error));
        await harness.RestartAsync();
        Assert.Empty((await harness.Client.FetchOffsetsAsync(8, "retired", topics: null)).Offsets);
        Assert.DoesNotContain(await harness.Client.ListGroupsAsync(0), g => g.GroupId == "retired");
    }

    [Fact]
    public async Task ListGroups_filters_by_state_and_type_and_DescribeGroups_reports_unknown_groups_as_dead()
    {
        await using var harness = await CoordinatorHarness.StartAsync();
        var client = harness.Client;
        await StableSingleMemberAsync(client, "running");
        await client.CommitAsync(8, "idle", -1, "", [("orders", 0, 1, null)]);

        Assert.Equal(["idle", "running"], (await client.ListGroupsAsync(0)).Select(g => g.GroupId));
        Assert.Equal(["running"], (await client.ListGroupsAsync(4, states: ["stable"])).Select(g => g.GroupId));
        Assert.Equal(["idle"], (await client.ListGroupsAsync(5, states: ["Empty"], types: ["classic"])).Select(g => g.GroupId));
        Assert.Empty(await client.ListGroupsAsync(5, types: ["consumer"]));
        Assert.All(await client.ListGroupsAsync(5), g => Assert.Equal("classic", g.Type));

        var unknown = Assert.Single(await client.DescribeGroupsAsync(0, "unknown"));
        Assert.Equal((ErrorCode.None, nameof(GroupState.Dead)), (unknown.Error, unknown.State));
        Assert.Empty(unknown.Members);
    }

    [Fact]
    public async Task Disposing_the_coordinator_answers_parked_joins()
    {
        var harness = await CoordinatorHarness.StartAsync();
        var parked = harness.Client.JoinAsync(3, "parked", "", Protocols("range"));
        Assert.False(parked.IsCompleted, "the first join of a new group waits for the initial rebalance delay");

        await harness.DisposeAsync();

        var answer = await parked.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        Assert.Contains(answer.Error, new[] { ErrorCode.CoordinatorNotAvailable, ErrorCode.None });
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static (string Name, byte[] Metadata)[] Protocols(params string[] names) =>
        [.. names.Select(name => (name, Bytes("metadata-" + name)))];

    private static Dictionary<string, byte[]> Assign(params (string MemberId, string Assignment)[] assignments) =>
        assignments.ToDictionary(a => a.MemberId, a => Bytes(a.Assignment));

    /// <summary>One member, joined and synced into generation 1; returns its member id.</summary>
    private static async Task<string> StableSingleMemberAsync(GroupWireClient client, string groupId)
    {
        var joined = await client.JoinNewAsync(9, groupId, Protocols("range"));
        await client.SyncAsync(5, groupId, joined.Generation, joined.MemberId, Assign((joined.MemberId, "everything")));
        return joined.MemberId;
    }

    /// <summary><paramref name="count"/> cooperative-sticky members joined together and synced into generation 1.</summary>
    private static async Task<GroupWireClient.JoinResponse[]> StableGroupAsync(GroupWireClient client, string groupId, int count, int rebalanceTimeoutMs = 10_000)
    {
        var joined = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => client.JoinNewAsync(9, groupId, Protocols("cooperative-sticky"), rebalanceTimeoutMs: rebalanceTimeoutMs)));
        Assert.All(joined, j => Assert.Equal(1, j.Generation));
        var leader = joined.Single(j => j.Leader == j.MemberId);
        var syncs = joined.Select(j => client.SyncAsync(5, groupId, 1, j.MemberId, j == leader ? Assign() : null));
        Assert.All(await Task.WhenAll(syncs), s => Assert.Equal(ErrorCode.None, s.Error));
        return joined;
    }
}
