using CreditRisk.Contracts.Events.V1;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Persistence;

// In the hosting namespace, like AddServiceDefaults, so Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The training service's composition root: the labels (the training schema, the label store and the loan-outcome
/// consumer) and the training pipeline (its engine, triggers and API, and the steps it runs).
/// </summary>
public static class Extensions
{
    public const string ConsumerGroup = "training";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Migrated while the host starts, before the consumer.
        builder.AddSchemaMigrations(TrainingSchema.Migrations);
        builder.Services.AddSingleton<LabelStore>();
        builder.AddKafkaEventBus()
            .AddSubscription<LoanOutcomeRecorded, LoanOutcomeHandler>(subscription => subscription.GroupId = ConsumerGroup);
        builder.AddTrainingPipeline(ConsumerGroup);
        builder.Services.AddTrainingSteps(builder.Configuration);
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app.MapTrainingApi();
}
