using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// JoinGroup v0–9. The response waits (asynchronously) until the group's join phase completes; the
/// server keeps per-connection response order, so parking here delays only this member's connection.
/// </summary>
internal sealed class JoinGroupHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey Key => ApiKey.JoinGroup;
    public short MinVersion => 0;
    public short MaxVersion => 9;
    public short FirstFlexibleVersion => 6;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupId = request.ReadString(flexible);
        var sessionTimeoutMs = request.ReadInt32();
        // v0 has no rebalance timeout; Kafka then uses the session timeout for both.
        var rebalanceTimeoutMs = version >= 1 ? request.ReadInt32() : sessionTimeoutMs;
        var memberId = request.ReadString(flexible);
        var groupInstanceId = version >= 5 ? request.ReadNullableString(flexible) : null;
        var protocolType = request.ReadString(flexible);
        var protocols = request.ReadArray(flexible, r =>
        {
            var name = r.ReadString(flexible);
            // Copied: the request buffer is not ours once this handler returns.
            var metadata = r.ReadBytes(flexible).ToArray();
            r.SkipTaggedFields(flexible);
            return new GroupProtocol(name, metadata);
        });
        if (version >= 8)
        {
            _ = request.ReadNullableString(flexible); // reason (KIP-800), informational only
        }
        request.SkipTaggedFields(flexible);

        var command = new JoinGroupCommand(
            groupId,
            memberId,
            groupInstanceId,
            context.ClientId ?? "",
            context.ClientHost(),
            sessionTimeoutMs,
            rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
            protocolType,
            protocols,
            RequireKnownMemberId: version >= 4);
        var result = await coordinator.JoinGroupAsync(command).WaitAsync(cancellationToken);

        if (version >= 2)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteInt16((short)result.Error);
        response.WriteInt32(result.GenerationId);
        if (version >= 7)
        {
            response.WriteString(result.ProtocolType, flexible);
            response.WriteString(result.ProtocolName, flexible);
        }
        else
        {
            response.WriteString(result.ProtocolName ?? "", flexible);
        }
        response.WriteString(result.LeaderId, flexible);
        if (version >= 9)
        {
            response.WriteBool(false); // skip_assignment: the leader always runs its assignor here
        }
        response.WriteString(result.MemberId, flexible);
        response.WriteArray(result.Members, flexible, (writer, member) =>
        {
            writer.WriteString(member.MemberId, flexible);
            if (version >= 5)
            {
                writer.WriteString(member.GroupInstanceId, flexible);
            }
            writer.WriteBytes(member.Metadata, flexible);
            writer.WriteEmptyTaggedFields(flexible);
        });
        response.WriteEmptyTaggedFields(flexible);
        return true;
    }
}
