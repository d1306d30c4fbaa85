using CreditRisk.Training.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CreditRisk.Training.PipelineTestHost;

public static class PipelineTestStepsExtensions
{
    /// <summary>
    /// Replaces the registered pipeline steps with the test pipeline: extract (not cacheable) -> prepare -> fit ->
    /// report -> publish (not cacheable).
    /// </summary>
    public static IServiceCollection AddPipelineTestSteps(this IServiceCollection services)
    {
        services.RemoveAll<IPipelineStep>();
        services.AddSingleton<TestStepJournal>();
        services.AddSingleton<IPipelineStep, ExtractStep>();
        services.AddSingleton<IPipelineStep, PrepareStep>();
        services.AddSingleton<IPipelineStep, FitStep>();
        services.AddSingleton<IPipelineStep, ReportStep>();
        services.AddSingleton<IPipelineStep, PublishStep>();
        return services;
    }
}
