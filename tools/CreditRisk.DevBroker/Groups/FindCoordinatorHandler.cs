using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// FindCoordinator v0–4. This broker coordinates every group; transaction coordinators are not offered
/// (COORDINATOR_NOT_AVAILABLE). v4 batches keys (KIP-699) and answers per key.
/// </summary>
internal sealed class FindCoordinatorHandler(BrokerIdentity identity) : IApiHandler
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;

    public ApiKey Key => ApiKey.FindCoordinator;
    public short MinVersion => 0;
    public short MaxVersion => 4;
    public short FirstFlexibleVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        if (version <= 3)
        {
            // One key; every group maps to this broker, so its value does not matter.
            _ = request.ReadString(flexible);
        }
        var keyType = version >= 1 ? request.ReadInt8() : GroupKeyType;
        var batchedKeys = version >= 4 ? request.ReadArray(flexible, r => r.ReadString(flexible)) : null;
        request.SkipTaggedFields(flexible);

        var (error, message) = keyType switch
        {
            GroupKeyType => (ErrorCode.None, (string?)null),
            TransactionKeyType => (ErrorCode.CoordinatorNotAvailable, "This development broker has no transaction coordinator."),
            _ => (ErrorCode.InvalidRequest, $"Unsupported coordinator key type {keyType}."),
        };
        var found = error == ErrorCode.None;

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        if (batchedKeys is null)
        {
            response.WriteInt16((short)error);
            if (version >= 1)
            {
                response.WriteString(message, flexible);
            }
            WriteNode(response, found, flexible);
        }
        else
        {
            response.WriteArrayLength(batchedKeys.Count, flexible);
            foreach (var key in batchedKeys)
            {
                response.WriteString(key, flexible);
                WriteNode(response, found, flexible);
                response.WriteInt16((short)error);
                response.WriteString(message, flexible);
                response.WriteEmptyTaggedFields(flexible);
            }
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    private void WriteNode(KafkaWriter response, bool found, bool flexible)
    {
        response.WriteInt32(found ? identity.NodeId : -1);
        response.WriteString(found ? identity.Host : "", flexible);
        response.WriteInt32(found ? identity.Port : -1);
    }
}
