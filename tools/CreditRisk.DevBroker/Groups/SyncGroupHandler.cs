using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// SyncGroup v0–5. Followers wait (asynchronously) for the leader's assignments; the leader's request
/// completes the generation and answers everyone.
/// </summary>
internal sealed class SyncGroupHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey Key => ApiKey.SyncGroup;
    public short MinVersion => 0;
    public short MaxVersion => 5;
    public short FirstFlexibleVersion => 4;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupId = request.ReadString(flexible);
        var generationId = request.ReadInt32();
        var memberId = request.ReadString(flexible);
        var groupInstanceId = version >= 3 ? request.ReadNullableString(flexible) : null;
        var protocolType = version >= 5 ? request.ReadNullableString(flexible) : null;
        var protocolName = version >= 5 ? request.ReadNullableString(flexible) : null;
        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var count = request.ReadArrayLength(flexible);
        for (var i = 0; i < count; i++)
        {
            var assignedMemberId = request.ReadString(flexible);
            assignments[assignedMemberId] = request.ReadBytes(flexible).ToArray();
            request.SkipTaggedFields(flexible);
        }
        request.SkipTaggedFields(flexible);

        var command = new SyncGroupCommand(groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments);
        var result = await coordinator.SyncGroupAsync(command).WaitAsync(cancellationToken);

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteInt16((short)result.Error);
        if (version >= 5)
        {
            response.WriteString(result.ProtocolType, flexible);
            response.WriteString(result.ProtocolName, flexible);
        }
        response.WriteBytes(result.Assignment, flexible);
        response.WriteEmptyTaggedFields(flexible);
        return true;
    }
}
