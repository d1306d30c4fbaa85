namespace CreditRisk.DevBroker.Protocol;

/// <summary>What a handler knows of the request beyond its body.</summary>
public sealed record RequestContext(
    ApiKey ApiKey,
    short ApiVersion,
    int CorrelationId,
    string? ClientId,
    string ConnectionId,
    System.Net.EndPoint? RemoteEndPoint)
{
    public bool IsFlexible(short firstFlexibleVersion) => ApiVersion >= firstFlexibleVersion;
}
