using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditRisk.Messaging.Health;

/// <summary>Unhealthy once a producer or consumer has hit a fatal Kafka error (it will not recover by itself).</summary>
public sealed class KafkaHealthCheck(KafkaClientHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failures = health.FatalFailures;
        return Task.FromResult(failures.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(string.Join("; ", failures.Select(failure => $"{failure.Key}: {failure.Value}"))));
    }
}
