using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CreditRisk.ServiceDefaults;

/// <summary>Readiness of a service that cannot serve without Redis (register it tagged "ready").</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable", exception);
        }
    }
}
