using System.Net;
using CreditRisk.DevBroker.Groups;
using CreditRisk.DevBroker.Protocol;
using Xunit;

namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>
/// Drives the coordinator's handlers with wire-encoded requests, at any version, without a socket:
/// encodes a request body exactly as a client would, runs the handler, checks the whole body was
/// consumed and decodes the response body.
/// </summary>
internal sealed class GroupWireClient(GroupCoordinator coordinator, string clientId = "wire-client")
{
    private readonly Dictionary<ApiKey, IApiHandler> handlers = coordinator.CreateHandlers().ToDictionary(h => h.Key);

    public sealed record JoinResponse(ErrorCode Error, int Generation, string? ProtocolType, string? ProtocolName, string Leader, string MemberId, List<(string MemberId, string? InstanceId, byte[] Metadata)> Members);
    public sealed record SyncResponse(ErrorCode Error, string? ProtocolType, string? ProtocolName, byte[] Assignment);
    public sealed record FetchedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, ErrorCode Error);
    public sealed record ListedGroup(string GroupId, string ProtocolType, string? State, string? Type);
    public sealed record DescribedMember(string MemberId, string? InstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);
    public sealed record DescribedGroup(ErrorCode Error, string GroupId, string State, string ProtocolType, string ProtocolData, List<DescribedMember> Members, int AuthorizedOperations);

    public async Task<KafkaReader> CallAsync(ApiKey key, short version, Action<KafkaWriter, bool> writeBody)
    {
        var handler = handlers[key];
        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(version), $"{key} v{version} not supported");
        }
        var flexible = version >= handler.FirstFlexibleVersion;
        using var request = new KafkaWriter();
        writeBody(request, flexible);
        request.WriteEmptyTaggedFields(flexible);
        var reader = new KafkaReader(request.WrittenMemory.ToArray());
        using var response = new KafkaWriter();
        var context = new RequestContext(key, version, 1, clientId, "test-connection", new IPEndPoint(IPAddress.Loopback, 40000));
        var respond = await handler.HandleAsync(context, reader, response, TestContext.Current.CancellationToken);
        if (!respond)
        {
            throw new InvalidOperationException("handler sent no response");
        }
        if (!reader.End)
        {
            throw new InvalidOperationException($"{key} v{version}: {reader.Remaining} request bytes left unread");
        }
        return new KafkaReader(response.WrittenMemory.ToArray());
    }

    public static void AssertConsumed(KafkaReader reader, bool flexible)
    {
        reader.SkipTaggedFields(flexible);
        if (!reader.End)
        {
            throw new InvalidOperationException($"{reader.Remaining} response bytes left unread");
        }
    }

    public async Task<(ErrorCode Error, int NodeId, string Host, int Port)> FindCoordinatorAsync(short version, string key, sbyte keyType = 0)
    {
        var r = await CallAsync(ApiKey.FindCoordinator, version, (w, f) =>
        {
            if (version <= 3) w.WriteString(key, f);
            if (version >= 1) w.WriteInt8(keyType);
            if (version >= 4) { w.WriteArrayLength(1, f); w.WriteString(key, f); }
        });
        var flexible = version >= 3;
        if (version >= 1) r.ReadInt32();
        if (version <= 3)
        {
            var error = (ErrorCode)r.ReadInt16();
            if (version >= 1) r.ReadNullableString(flexible);
            var node = r.ReadInt32();
            var host = r.ReadString(flexible);
            var port = r.ReadInt32();
            AssertConsumed(r, flexible);
            return (error, node, host, port);
        }
        var count = r.ReadArrayLength(flexible);
        if (count != 1) throw new InvalidOperationException("expected one coordinator");
        if (r.ReadString(flexible) != key) throw new InvalidOperationException("key mismatch");
        var nodeId = r.ReadInt32();
        var nodeHost = r.ReadString(flexible);
        var nodePort = r.ReadInt32();
        var keyError = (ErrorCode)r.ReadInt16();
        r.ReadNullableString(flexible);
        r.SkipTaggedFields(flexible);
        AssertConsumed(r, flexible);
        return (keyError, nodeId, nodeHost, nodePort);
    }

    public async Task<JoinResponse> JoinAsync(
        short version, string groupId, string memberId, IReadOnlyList<(string Name, byte[] Metadata)> protocols,
        int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 10_000, string protocolType = "consumer", string? instanceId = null)
    {
        var r = await CallAsync(ApiKey.JoinGroup, version, (w, f) =>
        {
            w.WriteString(groupId, f);
            w.WriteInt32(sessionTimeoutMs);
            if (version >= 1) w.WriteInt32(rebalanceTimeoutMs);
            w.WriteString(memberId, f);
            if (version >= 5) w.WriteString(instanceId, f);
            w.WriteString(protocolType, f);
            w.WriteArrayLength(protocols.Count, f);
            foreach (var (name, metadata) in protocols)
            {
                w.WriteString(name, f);
                w.WriteBytes(metadata, f);
                w.WriteEmptyTaggedFields(f);
            }
            if (version >= 8) w.WriteString("test", f);
        });
        var flexible = version >= 6;
        if (version >= 2) r.ReadInt32();
        var error = (ErrorCode)r.ReadInt16();
        var generation = r.ReadInt32();
        var type = version >= 7 ? r.ReadNullableString(flexible) : null;
        var protocolName = version >= 7 ? r.ReadNullableString(flexible) : r.ReadString(flexible);
        var leader = r.ReadString(flexible);
        if (version >= 9) r.ReadBool();
        var id = r.ReadString(flexible);
        var members = r.ReadArray(flexible, m =>
        {
            var mid = m.ReadString(flexible);
            var iid = version >= 5 ? m.ReadNullableString(flexible) : null;
            var md = m.ReadBytes(flexible).ToArray();
            m.SkipTaggedFields(flexible);
            return (mid, iid, md);
        });
        AssertConsumed(r, flexible);
        return new JoinResponse(error, generation, type, protocolName, leader, id, members);
    }

    /// <summary>Join as a new member the way modern clients do: MEMBER_ID_REQUIRED, then rejoin with the id.</summary>
    public async Task<JoinResponse> JoinNewAsync(short version, string groupId, IReadOnlyList<(string Name, byte[] Metadata)> protocols, int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 10_000)
    {
        var first = await JoinAsync(version, groupId, "", protocols, sessionTimeoutMs, rebalanceTimeoutMs);
        if (version < 4)
        {
            return first;
        }
        if (first.Error != ErrorCode.MemberIdRequired) throw new InvalidOperationException($"expected MEMBER_ID_REQUIRED, got {first.Error}");
        return await JoinAsync(version, groupId, first.MemberId, protocols, sessionTimeoutMs, rebalanceTimeoutMs);
    }

    public async Task<SyncResponse> SyncAsync(short version, string groupId, int generation, string memberId, IReadOnlyDictionary<string, byte[]>? assignments = null, string? protocolType = "consumer", string? protocolName = null)
    {
        var r = await CallAsync(ApiKey.SyncGroup, version, (w, f) =>
        {
            w.WriteString(groupId, f);
            w.WriteInt32(generation);
            w.WriteString(memberId, f);
            if (version >= 3) w.WriteString(null, f);
            if (version >= 5) { w.WriteString(protocolType, f); w.WriteString(protocolName, f); }
            var list = assignments?.ToList() ?? [];
            w.WriteArrayLength(list.Count, f);
            foreach (var (m, a) in list)
            {
                w.WriteString(m, f);
                w.WriteBytes(a, f);
                w.WriteEmptyTaggedFields(f);
            }
        });
        var flexible = version >= 4;
        if (version >= 1) r.ReadInt32();
        var error = (ErrorCode)r.ReadInt16();
        string? type = null, name = null;
        if (version >= 5) { type = r.ReadNullableString(flexible); name = r.ReadNullableString(flexible); }
        var assignment = r.ReadBytes(flexible).ToArray();
        AssertConsumed(r, flexible);
        return new SyncResponse(error, type, name, assignment);
    }

    public async Task<ErrorCode> HeartbeatAsync(short version, string groupId, int generation, string memberId)
    {
        var r = await CallAsync(ApiKey.Heartbeat, version, (w, f) =>
        {
            w.WriteString(groupId, f);
            w.WriteInt32(generation);
            w.WriteString(memberId, f);
            if (version >= 3) w.WriteString(null, f);
        });
        var flexible = version >= 4;
        if (version >= 1) r.ReadInt32();
        var error = (ErrorCode)r.ReadInt16();
        AssertConsumed(r, flexible);
        return error;
    }

    public async Task<(ErrorCode Error, List<(string MemberId, string? InstanceId, ErrorCode Error)> Members)> LeaveAsync(short version, string groupId, params string[] memberIds)
    {
        var r = await CallAsync(ApiKey.LeaveGroup, version, (w, f) =>
        {
            w.WriteString(groupId, f);
            if (version <= 2)
            {
                w.WriteString(memberIds[0], f);
                return;
            }
            w.WriteArrayLength(memberIds.Length, f);
            foreach (var m in memberIds)
            {
                w.WriteString(m, f);
                w.WriteString(null, f);
                if (version >= 5) w.WriteString("bye", f);
                w.WriteEmptyTaggedFields(f);
            }
        });
        var flexible = version >= 4;
        if (version >= 1) r.ReadInt32();
        var error = (ErrorCode)r.ReadInt16();
        var members = new List<(string, string?, ErrorCode)>();
        if (version >= 3)
        {
            members = r.ReadArray(flexible, m =>
            {
                var id = m.ReadString(flexible);
                var iid = m.ReadNullableString(flexible);
                var e = (ErrorCode)m.ReadInt16();
                m.SkipTaggedFields(flexible);
                return (id, iid, e);
            });
        }
        AssertConsumed(r, flexible);
        return (error, members);
    }

    public async Task<List<(string Topic, int Partition, ErrorCode Error)>> CommitAsync(
        short version, string groupId, int generation, string memberId, IReadOnlyList<(string Topic, int Partition, long Offset, string? Metadata)> offsets)
    {
        var r = await CallAsync(ApiKey.OffsetCommit, version, (w, f) =>
        {
            w.WriteString(groupId, f);
            w.WriteInt32(generation);
            w.WriteString(memberId, f);
            if (version >= 7) w.WriteString(null, f);
            if (version <= 4) w.WriteInt64(-1);
            var topics = offsets.GroupBy(o => o.Topic).ToList();
            w.WriteArrayLength(topics.Count, f);
            foreach (var topic in topics)
            {
                w.WriteString(topic.Key, f);
                w.WriteArrayLength(topic.Count(), f);
                foreach (var o in topic)
                {
                    w.WriteInt32(o.Partition);
                    w.WriteInt64(o.Offset);
                    if (version >= 6) w.WriteInt32(7);
                    w.WriteString(o.Metadata, f);
                    w.WriteEmptyTaggedFields(f);
                }
                w.WriteEmptyTaggedFields(f);
            }
        });
        var flexible = version >= 8;
        if (version >= 3) r.ReadInt32();
        var result = new List<(string, int, ErrorCode)>();
        var topicCount = r.ReadArrayLength(flexible);
        for (var t = 0; t < topicCount; t++)
        {
            var name = r.ReadString(flexible);
            var pc = r.ReadArrayLength(flexible);
            for (var p = 0; p < pc; p++)
            {
                var partition = r.ReadInt32();
                var error = (ErrorCode)r.ReadInt16();
                r.SkipTaggedFields(flexible);
                result.Add((name, partition, error));
            }
            r.SkipTaggedFields(flexible);
        }
        AssertConsumed(r, flexible);
        return result;
    }

    /// <summary>OffsetFetch for one group; null topics asks for all committed partitions.</summary>
    public async Task<(ErrorCode Error, List<FetchedOffset> Offsets)> FetchOffsetsAsync(short version, string groupId, IReadOnlyList<(string Topic, int[] Partitions)>? topics)
    {
        var r = await CallAsync(ApiKey.OffsetFetch, version, (w, f) =>
        {
            if (version <= 7)
            {
                w.WriteString(groupId, f);
                WriteTopics(w, f, topics);
            }
            else
            {
                w.WriteArrayLength(1, f);
                w.WriteString(groupId, f);
                WriteTopics(w, f, topics);
                w.WriteEmptyTaggedFields(f);
            }
            if (version >= 7) w.WriteBool(true);
        });
        var flexible = version >= 6;
        if (version >= 3) r.ReadInt32();
        var error = ErrorCode.None;
        List<FetchedOffset> offsets;
        if (version <= 7)
        {
            offsets = ReadFetchedTopics(r, version, flexible);
            if (version >= 2) error = (ErrorCode)r.ReadInt16();
        }
        else
        {
            var groups = r.ReadArrayLength(flexible);
            if (groups != 1) throw new InvalidOperationException("expected one group");
            if (r.ReadString(flexible) != groupId) throw new InvalidOperationException("group mismatch");
            offsets = ReadFetchedTopics(r, version, flexible);
            error = (ErrorCode)r.ReadInt16();
            r.SkipTaggedFields(flexible);
        }
        AssertConsumed(r, flexible);
        return (error, offsets);

        static void WriteTopics(KafkaWriter w, bool f, IReadOnlyList<(string Topic, int[] Partitions)>? topics)
        {
            if (topics is null)
            {
                w.WriteArrayLength(-1, f);
                return;
            }
            w.WriteArrayLength(topics.Count, f);
            foreach (var (topic, partitions) in topics)
            {
                w.WriteString(topic, f);
                w.WriteArray(partitions, f, (ww, p) => ww.WriteInt32(p));
                w.WriteEmptyTaggedFields(f);
            }
        }
    }

    private static List<FetchedOffset> ReadFetchedTopics(KafkaReader r, short version, bool flexible)
    {
        var result = new List<FetchedOffset>();
        var topicCount = r.ReadArrayLength(flexible);
        for (var t = 0; t < topicCount; t++)
        {
            var name = r.ReadString(flexible);
            var pc = r.ReadArrayLength(flexible);
            for (var p = 0; p < pc; p++)
            {
                var partition = r.ReadInt32();
                var offset = r.ReadInt64();
                var epoch = version >= 5 ? r.ReadInt32() : -1;
                var metadata = r.ReadNullableString(flexible);
                var error = (ErrorCode)r.ReadInt16();
                r.SkipTaggedFields(flexible);
                result.Add(new FetchedOffset(name, partition, offset, epoch, metadata, error));
            }
            r.SkipTaggedFields(flexible);
        }
        return result;
    }

    public async Task<List<ListedGroup>> ListGroupsAsync(short version, string[]? states = null, string[]? types = null)
    {
        var r = await CallAsync(ApiKey.ListGroups, version, (w, f) =>
        {
            if (version >= 4) w.WriteArray(states ?? [], f, (ww, s) => ww.WriteString(s, f));
            if (version >= 5) w.WriteArray(types ?? [], f, (ww, s) => ww.WriteString(s, f));
        });
        var flexible = version >= 3;
        if (version >= 1) r.ReadInt32();
        var error = (ErrorCode)r.ReadInt16();
        if (error != ErrorCode.None) throw new InvalidOperationException($"ListGroups error {error}");
        var groups = r.ReadArray(flexible, g =>
        {
            var id = g.ReadString(flexible);
            var type = g.ReadString(flexible);
            var state = version >= 4 ? g.ReadString(flexible) : null;
            var groupType = version >= 5 ? g.ReadString(flexible) : null;
            g.SkipTaggedFields(flexible);
            return new ListedGroup(id, type, state, groupType);
        });
        AssertConsumed(r, flexible);
        return groups;
    }

    public async Task<List<DescribedGroup>> DescribeGroupsAsync(short version, params string[] groupIds)
    {
        var r = await CallAsync(ApiKey.DescribeGroups, version, (w, f) =>
        {
            w.WriteArray(groupIds, f, (ww, g) => ww.WriteString(g, f));
            if (version >= 3) w.WriteBool(true);
        });
        var flexible = version >= 5;
        if (version >= 1) r.ReadInt32();
        var groups = r.ReadArray(flexible, g =>
        {
            var error = (ErrorCode)g.ReadInt16();
            var id = g.ReadString(flexible);
            var state = g.ReadString(flexible);
            var type = g.ReadString(flexible);
            var data = g.ReadString(flexible);
            var members = g.ReadArray(flexible, m =>
            {
                var mid = m.ReadString(flexible);
                var iid = version >= 4 ? m.ReadNullableString(flexible) : null;
                var cid = m.ReadString(flexible);
                var host = m.ReadString(flexible);
                var md = m.ReadBytes(flexible).ToArray();
                var asg = m.ReadBytes(flexible).ToArray();
                m.SkipTaggedFields(flexible);
                return new DescribedMember(mid, iid, cid, host, md, asg);
            });
            var ops = version >= 3 ? g.ReadInt32() : int.MinValue;
            g.SkipTaggedFields(flexible);
            return new DescribedGroup(error, id, state, type, data, members, ops);
        });
        AssertConsumed(r, flexible);
        return groups;
    }

    public async Task<List<(string GroupId, ErrorCode Error)>> DeleteGroupsAsync(short version, params string[] groupIds)
    {
        var r = await CallAsync(ApiKey.DeleteGroups, version, (w, f) => w.WriteArray(groupIds, f, (ww, g) => ww.WriteString(g, f)));
        var flexible = version >= 2;
        r.ReadInt32();
        var results = r.ReadArray(flexible, g =>
        {
            var id = g.ReadString(flexible);
            var e = (ErrorCode)g.ReadInt16();
            g.SkipTaggedFields(flexible);
            return (id, e);
        });
        AssertConsumed(r, flexible);
        return results;
    }
}
