namespace CreditRisk.DevBroker.Handlers;

/// <summary>config_source values of DescribeConfigs/CreateTopics (org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource).</summary>
internal enum ConfigSource : sbyte
{
    DynamicTopicConfig = 1,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
}
