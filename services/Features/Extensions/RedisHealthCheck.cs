using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CreditRisk.Features.Extensions;

/// <summary>Ready only while Redis (online store) answers.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable", exception);
        }
    }
}
