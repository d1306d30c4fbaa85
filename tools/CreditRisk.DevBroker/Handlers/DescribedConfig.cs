namespace CreditRisk.DevBroker.Handlers;

/// <summary>One config entry of a DescribeConfigs result.</summary>
internal readonly record struct DescribedConfig(string Name, string Value, ConfigSource Source, bool ReadOnly);
