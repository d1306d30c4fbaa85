using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>Heartbeat v0–4: keeps the session alive; REBALANCE_IN_PROGRESS tells the member to rejoin.</summary>
internal sealed class HeartbeatHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey Key => ApiKey.Heartbeat;
    public short MinVersion => 0;
    public short MaxVersion => 4;
    public short FirstFlexibleVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupId = request.ReadString(flexible);
        var generationId = request.ReadInt32();
        var memberId = request.ReadString(flexible);
        if (version >= 3)
        {
            _ = request.ReadNullableString(flexible); // group_instance_id: static members are served as dynamic
        }
        request.SkipTaggedFields(flexible);

        var error = coordinator.Heartbeat(groupId, generationId, memberId);

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteInt16((short)error);
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
