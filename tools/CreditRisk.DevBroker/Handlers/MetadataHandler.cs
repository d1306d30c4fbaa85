using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>
/// Metadata v0–12: this broker is the only broker, the controller and the leader of every partition.
/// Requested topics are auto-created when the broker and the client (v4+) allow it.
/// </summary>
internal sealed class MetadataHandler(LogManager logs, BrokerIdentity identity) : IApiHandler
{
    private const int AuthorizedOperationsOmitted = int.MinValue;

    public ApiKey Key => ApiKey.Metadata;
    public short MinVersion => 0;
    public short MaxVersion => 12;
    public short FirstFlexibleVersion => 9;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        var requested = ReadRequestedTopics(request, version, flexible);
        var allowAutoCreate = version < 4 || request.ReadBool();
        if (version is >= 8 and <= 10)
        {
            _ = request.ReadBool(); // include_cluster_authorized_operations
        }
        if (version >= 8)
        {
            _ = request.ReadBool(); // include_topic_authorized_operations
        }
        request.SkipTaggedFields(flexible);

        if (version >= 3)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteArrayLength(1, flexible);
        response.WriteInt32(identity.NodeId);
        response.WriteString(identity.Host, flexible);
        response.WriteInt32(identity.Port);
        if (version >= 1)
        {
            response.WriteString(null, flexible); // rack
        }
        response.WriteEmptyTaggedFields(flexible);
        if (version >= 2)
        {
            response.WriteString(identity.ClusterId, flexible);
        }
        if (version >= 1)
        {
            response.WriteInt32(identity.NodeId); // controller_id
        }

        if (requested is null)
        {
            var all = logs.Topics.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
            response.WriteArrayLength(all.Count, flexible);
            foreach (var topic in all)
            {
                WriteTopic(response, version, flexible, ErrorCode.None, topic.Name, topic);
            }
        }
        else
        {
            response.WriteArrayLength(requested.Count, flexible);
            foreach (var (name, topicId) in requested)
            {
                WriteRequestedTopic(response, version, flexible, name, topicId, allowAutoCreate);
            }
        }
        if (version is >= 8 and <= 10)
        {
            response.WriteInt32(AuthorizedOperationsOmitted);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    /// <summary>Null means "all topics" (a null array in v1+, an empty one in v0).</summary>
    private static List<(string? Name, Guid TopicId)>? ReadRequestedTopics(KafkaReader request, short version, bool flexible)
    {
        var count = request.ReadArrayLength(flexible);
        if (count < 0 || (count == 0 && version == 0))
        {
            return null;
        }
        var topics = new List<(string?, Guid)>(count);
        for (var i = 0; i < count; i++)
        {
            var topicId = version >= 10 ? request.ReadUuid() : Guid.Empty;
            var name = version >= 10 ? request.ReadNullableString(flexible) : request.ReadString(flexible);
            request.SkipTaggedFields(flexible);
            topics.Add((name, topicId));
        }
        return topics;
    }

    private void WriteRequestedTopic(KafkaWriter response, short version, bool flexible, string? name, Guid topicId, bool allowAutoCreate)
    {
        if (name is null)
        {
            var byId = logs.FindTopic(topicId);
            WriteTopic(response, version, flexible, byId is null ? ErrorCode.UnknownTopicId : ErrorCode.None, byId?.Name, byId, topicId);
            return;
        }
        if (!TopicNames.IsValid(name, out _))
        {
            WriteTopic(response, version, flexible, ErrorCode.InvalidTopicException, name, null);
            return;
        }
        var topic = logs.GetOrAutoCreate(name, allowAutoCreate);
        WriteTopic(response, version, flexible, topic is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None, name, topic);
    }

    private void WriteTopic(KafkaWriter response, short version, bool flexible, ErrorCode error, string? name, TopicLog? topic, Guid requestedId = default)
    {
        response.WriteInt16((short)error);
        response.WriteString(name ?? (version >= 12 ? null : ""), flexible);
        if (version >= 10)
        {
            response.WriteUuid(topic?.TopicId ?? requestedId);
        }
        if (version >= 1)
        {
            response.WriteBool(false); // is_internal
        }
        var partitions = topic?.Partitions.Count ?? 0;
        response.WriteArrayLength(partitions, flexible);
        for (var p = 0; p < partitions; p++)
        {
            response.WriteInt16((short)ErrorCode.None);
            response.WriteInt32(p);
            response.WriteInt32(identity.NodeId); // leader
            if (version >= 7)
            {
                response.WriteInt32(0); // leader_epoch
            }
            WriteSelfOnly(response, flexible); // replica_nodes
            WriteSelfOnly(response, flexible); // isr_nodes
            if (version >= 5)
            {
                response.WriteArrayLength(0, flexible); // offline_replicas
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        if (version >= 8)
        {
            response.WriteInt32(AuthorizedOperationsOmitted);
        }
        response.WriteEmptyTaggedFields(flexible);
    }

    private void WriteSelfOnly(KafkaWriter response, bool flexible)
    {
        response.WriteArrayLength(1, flexible);
        response.WriteInt32(identity.NodeId);
    }
}
