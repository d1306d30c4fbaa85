using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>DeleteGroups v0–2: removes empty groups and their committed offsets.</summary>
internal sealed class DeleteGroupsHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey Key => ApiKey.DeleteGroups;
    public short MinVersion => 0;
    public short MaxVersion => 2;
    public short FirstFlexibleVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupIds = request.ReadArray(flexible, r => r.ReadString(flexible));
        request.SkipTaggedFields(flexible);

        response.WriteInt32(0); // throttle_time_ms
        response.WriteArrayLength(groupIds.Count, flexible);
        foreach (var groupId in groupIds)
        {
            response.WriteString(groupId, flexible);
            response.WriteInt16((short)coordinator.DeleteGroup(groupId));
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
