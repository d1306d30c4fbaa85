namespace CreditRisk.DevBroker.Protocol;

/// <summary>A request that cannot be parsed; the connection that sent it is closed.</summary>
public sealed class MalformedRequestException(string message) : Exception(message);
