namespace CreditRisk.DevBroker;

/// <summary>
/// How clients reach this broker (Metadata, FindCoordinator). The port is set once the listener is
/// bound, because tests listen on port 0 and learn the real port only then.
/// </summary>
public sealed class BrokerIdentity(int nodeId, string host)
{
    public int NodeId { get; } = nodeId;
    public string Host { get; } = host;
    public int Port { get; set; }
    public string ClusterId { get; init; } = "creditrisk-dev";
}
