using CreditRisk.Scoring.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Models;

/// <summary>Ready (HTTP /health/ready and the gRPC health service) only once every served model has a loaded version.</summary>
public sealed class ModelReadinessCheck(ServedModels served, IOptions<ScoringOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = options.Value.ServedModels().Where(model => served.StateOf(model) is null).ToList();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy(string.Join(", ", served.Current.Values.Select(state =>
                $"{state.ModelName}: {string.Join(" ", state.Arms.Select(arm => $"{arm.Name}=v{arm.Model.Version}"))}")))
            : HealthCheckResult.Unhealthy($"no model loaded yet for {string.Join(", ", missing)}"));
    }
}
