using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>DeleteTopics v1–6 (v6 may name topics by id). Deletion is immediate: files are removed before the response.</summary>
internal sealed class DeleteTopicsHandler(LogManager logs) : IApiHandler
{
    public ApiKey Key => ApiKey.DeleteTopics;
    public short MinVersion => 1;
    public short MaxVersion => 6;
    public short FirstFlexibleVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        var topics = version >= 6
            ? request.ReadArray(flexible, r =>
            {
                var name = r.ReadNullableString(flexible);
                var topicId = r.ReadUuid();
                r.SkipTaggedFields(flexible);
                return (Name: name, TopicId: topicId);
            })
            : request.ReadArray(flexible, r => (Name: (string?)r.ReadString(flexible), TopicId: Guid.Empty));
        _ = request.ReadInt32(); // timeout_ms
        request.SkipTaggedFields(flexible);

        response.WriteInt32(0); // throttle_time_ms
        response.WriteArrayLength(topics.Count, flexible);
        foreach (var (requestedName, requestedId) in topics)
        {
            var name = requestedName ?? logs.FindTopic(requestedId)?.Name;
            TopicLog? topic = null;
            var error = name is null ? ErrorCode.UnknownTopicId
                : !logs.TryGetTopic(name, out topic) ? ErrorCode.UnknownTopicOrPartition
                : logs.DeleteTopic(name);
            response.WriteString(name, flexible);
            if (version >= 6)
            {
                response.WriteUuid(topic?.TopicId ?? requestedId);
            }
            response.WriteInt16((short)error);
            if (version >= 5)
            {
                response.WriteString(error == ErrorCode.None ? null : $"Topic {requestedName ?? requestedId.ToString()} cannot be deleted: {error}", flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
