namespace CreditRisk.DevBroker.Groups;

/// <summary>One protocol a member supports (for consumers: an assignor name) and its opaque metadata.</summary>
internal sealed record GroupProtocol(string Name, byte[] Metadata);
