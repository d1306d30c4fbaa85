using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditRisk.ServiceDefaults;

/// <summary>The readiness check of a piece of infrastructure, registered once however often its Add method is called.</summary>
internal static class ReadinessChecks
{
    /// <summary>Registers <typeparamref name="TCheck"/> as readiness check <paramref name="name"/>; false when it is already.</summary>
    public static bool TryAdd<TCheck>(IServiceCollection services, string name) where TCheck : class, IHealthCheck
    {
        if (services.Any(service => service.ServiceType == typeof(TCheck)))
        {
            return false;
        }
        services.AddSingleton<TCheck>();
        services.AddHealthChecks().AddCheck<TCheck>(name, tags: [CreditRiskTelemetry.ReadyTag]);
        return true;
    }
}
