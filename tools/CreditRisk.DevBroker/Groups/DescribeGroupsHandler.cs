using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>DescribeGroups v0–5. Unknown groups are described as Dead without members, as Kafka does before v6.</summary>
internal sealed class DescribeGroupsHandler(GroupCoordinator coordinator) : IApiHandler
{
    // "Authorized operations not requested/unknown" in Kafka's encoding.
    private const int AuthorizedOperationsOmitted = int.MinValue;

    // Bit set of AclOperation codes READ(3), DESCRIBE(8) and DELETE(6): everything a group supports,
    // since this broker has no authorization.
    private const int AllGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

    public ApiKey Key => ApiKey.DescribeGroups;
    public short MinVersion => 0;
    public short MaxVersion => 5;
    public short FirstFlexibleVersion => 5;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupIds = request.ReadArray(flexible, r => r.ReadString(flexible));
        var includeAuthorizedOperations = version >= 3 && request.ReadBool();
        request.SkipTaggedFields(flexible);

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteArrayLength(groupIds.Count, flexible);
        foreach (var groupId in groupIds)
        {
            var group = coordinator.DescribeGroup(groupId);
            response.WriteInt16((short)ErrorCode.None);
            response.WriteString(group.GroupId, flexible);
            response.WriteString(group.State.ToString(), flexible);
            response.WriteString(group.ProtocolType, flexible);
            response.WriteString(group.ProtocolData, flexible);
            response.WriteArray(group.Members, flexible, (writer, member) =>
            {
                writer.WriteString(member.MemberId, flexible);
                if (version >= 4)
                {
                    writer.WriteString(member.GroupInstanceId, flexible);
                }
                writer.WriteString(member.ClientId, flexible);
                writer.WriteString(member.ClientHost, flexible);
                writer.WriteBytes(member.Metadata, flexible);
                writer.WriteBytes(member.Assignment, flexible);
                writer.WriteEmptyTaggedFields(flexible);
            });
            if (version >= 3)
            {
                response.WriteInt32(includeAuthorizedOperations ? AllGroupOperations : AuthorizedOperationsOmitted);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
