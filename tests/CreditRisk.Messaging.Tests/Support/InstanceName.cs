namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Tells apart two hosts of one "service" in a test.</summary>
public sealed record InstanceName(string Value);
