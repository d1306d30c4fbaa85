using System.Collections.Concurrent;

namespace CreditRisk.Messaging.Health;

/// <summary>Fatal failures of this process's Kafka clients; any one makes the service unhealthy.</summary>
public sealed class KafkaClientHealth
{
    private readonly ConcurrentDictionary<string, string> _fatalFailures = new();

    public IReadOnlyDictionary<string, string> FatalFailures => _fatalFailures;

    public void ReportFatal(string client, string reason) => _fatalFailures[client] = reason;
}
