using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CreditRisk.ServiceDefaults;

/// <summary>Readiness of a service that cannot serve without its PostgreSQL database (register it tagged "ready").</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable", exception);
        }
    }
}
