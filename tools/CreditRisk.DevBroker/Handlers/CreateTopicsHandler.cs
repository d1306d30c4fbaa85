using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>
/// CreateTopics v2–7. Replication factor must be 1 or -1 (there is one broker); manual assignments are
/// accepted when every replica list is this broker. validate_only checks everything without creating.
/// </summary>
internal sealed class CreateTopicsHandler(LogManager logs, BrokerIdentity identity) : IApiHandler
{
    public ApiKey Key => ApiKey.CreateTopics;
    public short MinVersion => 2;
    public short MaxVersion => 7;
    public short FirstFlexibleVersion => 5;

    private sealed record CreatableTopic(string Name, int NumPartitions, short ReplicationFactor, List<(int Partition, List<int> Brokers)> Assignments, List<(string Name, string? Value)> Configs);

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        var topics = request.ReadArray(flexible, r => ReadTopic(r, flexible));
        _ = request.ReadInt32(); // timeout_ms
        var validateOnly = request.ReadBool();
        request.SkipTaggedFields(flexible);

        var duplicates = topics.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        response.WriteInt32(0); // throttle_time_ms
        response.WriteArrayLength(topics.Count, flexible);
        foreach (var topic in topics)
        {
            var result = duplicates.Contains(topic.Name)
                ? new TopicCreationResult(ErrorCode.InvalidRequest, "Create topics request from client contains multiple entries for this topic.", 0, null, null)
                : Create(topic, validateOnly);
            response.WriteString(topic.Name, flexible);
            if (version >= 7)
            {
                response.WriteUuid(result.Topic?.TopicId ?? Guid.Empty);
            }
            response.WriteInt16((short)result.Error);
            response.WriteString(result.Message, flexible);
            if (version >= 5)
            {
                WriteCreatedTopicDetails(response, result, flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    private TopicCreationResult Create(CreatableTopic topic, bool validateOnly)
    {
        if (topic.ReplicationFactor is not (1 or -1) && topic.Assignments.Count == 0)
        {
            return new TopicCreationResult(ErrorCode.InvalidReplicationFactor,
                $"Replication factor: {topic.ReplicationFactor} larger than available brokers: 1.", 0, null, null);
        }
        var partitions = topic.NumPartitions;
        if (topic.Assignments.Count > 0)
        {
            if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
            {
                return new TopicCreationResult(ErrorCode.InvalidRequest,
                    "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.", 0, null, null);
            }
            var valid = topic.Assignments.Select(a => a.Partition).Order().SequenceEqual(Enumerable.Range(0, topic.Assignments.Count)) &&
                topic.Assignments.All(a => a.Brokers.Count == 1 && a.Brokers[0] == identity.NodeId);
            if (!valid)
            {
                return new TopicCreationResult(ErrorCode.InvalidReplicaAssignment,
                    $"Replica assignments must name partitions 0..n-1, each on broker {identity.NodeId} only.", 0, null, null);
            }
            partitions = topic.Assignments.Count;
        }
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in topic.Configs)
        {
            if (value is null)
            {
                return new TopicCreationResult(ErrorCode.InvalidConfig, $"Null value not supported for topic configs: {name}", 0, null, null);
            }
            configs[name] = value;
        }
        return logs.CreateTopic(topic.Name, partitions, configs, validateOnly);
    }

    private static void WriteCreatedTopicDetails(KafkaWriter response, TopicCreationResult result, bool flexible)
    {
        if (result.Config is not { } config)
        {
            response.WriteInt32(-1); // num_partitions
            response.WriteInt16(-1); // replication_factor
            response.WriteArrayLength(-1, flexible); // configs: null
            return;
        }
        response.WriteInt32(result.Partitions);
        response.WriteInt16(1);
        var described = config.Describe().ToList();
        response.WriteArrayLength(described.Count, flexible);
        foreach (var (name, value, isOverride) in described)
        {
            response.WriteString(name, flexible);
            response.WriteString(value, flexible);
            response.WriteBool(false); // read_only
            response.WriteInt8((sbyte)(isOverride ? ConfigSource.DynamicTopicConfig : ConfigSource.DefaultConfig));
            response.WriteBool(false); // is_sensitive
            response.WriteEmptyTaggedFields(flexible);
        }
    }

    private static CreatableTopic ReadTopic(KafkaReader request, bool flexible)
    {
        var name = request.ReadString(flexible);
        var numPartitions = request.ReadInt32();
        var replicationFactor = request.ReadInt16();
        var assignments = request.ReadArray(flexible, r =>
        {
            var partition = r.ReadInt32();
            var brokers = r.ReadArray(flexible, b => b.ReadInt32());
            r.SkipTaggedFields(flexible);
            return (partition, brokers);
        });
        var configs = request.ReadArray(flexible, r =>
        {
            var configName = r.ReadString(flexible);
            var value = r.ReadNullableString(flexible);
            r.SkipTaggedFields(flexible);
            return (configName, value);
        });
        request.SkipTaggedFields(flexible);
        return new CreatableTopic(name, numPartitions, replicationFactor, assignments, configs);
    }
}
