using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>LeaveGroup v0–5. v0–2 name one member; v3+ batch member identities with per-member errors.</summary>
internal sealed class LeaveGroupHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey Key => ApiKey.LeaveGroup;
    public short MinVersion => 0;
    public short MaxVersion => 5;
    public short FirstFlexibleVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupId = request.ReadString(flexible);
        List<LeavingMember> leaving;
        if (version <= 2)
        {
            leaving = [new LeavingMember(request.ReadString(flexible), null)];
        }
        else
        {
            leaving = request.ReadArray(flexible, r =>
            {
                var memberId = r.ReadString(flexible);
                var groupInstanceId = r.ReadNullableString(flexible);
                if (version >= 5)
                {
                    _ = r.ReadNullableString(flexible); // reason (KIP-800), informational only
                }
                r.SkipTaggedFields(flexible);
                return new LeavingMember(memberId, groupInstanceId);
            });
        }
        request.SkipTaggedFields(flexible);

        var errors = coordinator.LeaveGroup(groupId, leaving);

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        if (version <= 2)
        {
            response.WriteInt16((short)errors[0]);
        }
        else
        {
            // Group-level problems are reported per member, as Kafka does.
            response.WriteInt16((short)ErrorCode.None);
            response.WriteArrayLength(leaving.Count, flexible);
            for (var i = 0; i < leaving.Count; i++)
            {
                response.WriteString(leaving[i].MemberId, flexible);
                response.WriteString(leaving[i].GroupInstanceId, flexible);
                response.WriteInt16((short)errors[i]);
                response.WriteEmptyTaggedFields(flexible);
            }
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
