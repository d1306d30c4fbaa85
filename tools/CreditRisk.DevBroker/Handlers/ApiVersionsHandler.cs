using CreditRisk.DevBroker.Network;
using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>ApiVersions v0–3: advertises exactly the registered handlers (ours and the group coordinator's).</summary>
internal sealed class ApiVersionsHandler(ApiHandlerRegistry registry) : IApiHandler
{
    public ApiKey Key => ApiKey.ApiVersions;
    public short MinVersion => 0;
    public short MaxVersion => 3;
    public short FirstFlexibleVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        if (flexible)
        {
            _ = request.ReadString(flexible); // client_software_name
            _ = request.ReadString(flexible); // client_software_version
            request.SkipTaggedFields();
        }
        response.WriteInt16((short)ErrorCode.None);
        WriteApiKeys(response, flexible);
        if (context.ApiVersion >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    /// <summary>The answer to an ApiVersions version we do not know: UNSUPPORTED_VERSION in the v0 body layout.</summary>
    public void WriteUnsupportedVersion(KafkaWriter response)
    {
        response.WriteInt16((short)ErrorCode.UnsupportedVersion);
        WriteApiKeys(response, flexible: false);
    }

    private void WriteApiKeys(KafkaWriter response, bool flexible)
    {
        var handlers = registry.All.ToList();
        response.WriteArrayLength(handlers.Count, flexible);
        foreach (var handler in handlers)
        {
            response.WriteInt16((short)handler.Key);
            response.WriteInt16(handler.MinVersion);
            response.WriteInt16(handler.MaxVersion);
            response.WriteEmptyTaggedFields(flexible);
        }
    }
}
