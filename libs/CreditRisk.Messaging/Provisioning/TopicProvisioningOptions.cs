using CreditRisk.Contracts.Topics;

namespace CreditRisk.Messaging.Provisioning;

/// <summary>Topics a service provisions besides the catalogue's (<see cref="KafkaEventBusBuilder.AddTopic"/>).</summary>
public sealed class TopicProvisioningOptions
{
    public List<TopicDefinition> Topics { get; } = [];
}
