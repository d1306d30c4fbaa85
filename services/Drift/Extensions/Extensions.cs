using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Drift.Service.Api;
using CreditRisk.Drift.Service.Monitoring;
using CreditRisk.Drift.Service.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In the hosting namespace, like AddServiceDefaults, so Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The drift service's composition root: its schema, the reference profiles (registry client, Services:Registry),
/// the consumers (predictions and outcomes in batches, registrations one by one), the window closer, the outbox of
/// its reports and retraining requests, and the reports' API (gRPC, REST, HTML).
/// </summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(DriftMonitorOptions.SectionName);
        services.AddOptions<DriftMonitorOptions>().Bind(section)
            .Validate(options => { WindowPolicy.Validate(options); return true; })
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        var group = section.Get<DriftMonitorOptions>()?.ConsumerGroup ?? new DriftMonitorOptions().ConsumerGroup;

        builder.AddSchemaMigrations(DriftSchema.Migrations);
        builder.AddOutbox($"{DriftMonitorOptions.SectionName}:Outbox", DriftSchema.OutboxTable);
        builder.AddServiceClient<RegistryService.RegistryServiceClient>("Registry");
        services.AddSingleton<ReferenceProfiles>();
        services.AddSingleton<PredictionStore>();
        services.AddSingleton<WindowStore>();
        services.AddSingleton<WindowSignal>();
        services.AddSingleton<RetrainAlerts>();
        services.AddSingleton<DriftReportReader>();
        services.AddSingleton<WindowCloser>();
        services.AddHostedService(provider => provider.GetRequiredService<WindowCloser>());

        builder.AddKafkaEventBus()
            .AddBatchSubscription<PredictionLogged, PredictionBatchHandler>(subscription => subscription.GroupId = group)
            .AddBatchSubscription<LoanOutcomeRecorded, OutcomeBatchHandler>(subscription => subscription.GroupId = group)
            .AddSubscription<ModelVersionRegistered, ModelRegisteredHandler>(subscription => subscription.GroupId = group);
        services.AddGrpc();
        services.AddGrpcReflection();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGrpcService<DriftGrpcService>();
        app.MapGrpcReflectionService();
        app.MapDriftEndpoints();
        return app;
    }
}
