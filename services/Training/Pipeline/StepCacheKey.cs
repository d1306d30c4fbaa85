using System.Globalization;
using System.Reflection;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// What makes two executions of a step interchangeable: the step and its code, this service's code, the outputs it
/// reads, and the run's definition (parameters, model, feature service and version, cut-off).
/// </summary>
public static class StepCacheKey
{
    /// <summary>This build of the service (its informational version), so that a new release recomputes rather than reuses.</summary>
    public static string ServiceCodeVersion { get; } =
        typeof(StepCacheKey).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(StepCacheKey).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <param name="inputDigests">Consumed step name to its output digest.</param>
    public static string Compute(IPipelineStep step, IReadOnlyDictionary<string, string> inputDigests, PipelineRunDefinition run)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(run);
        using var digest = new DigestBuilder();
        return digest
            .Add("step").Add(step.Name).Add(step.CodeVersion)
            .Add("service").Add(ServiceCodeVersion)
            .Add("inputs").Add(inputDigests)
            .Add("parameters").Add(run.Parameters)
            .Add("model").Add(run.ModelName)
            .Add("features").Add(run.FeatureService).Add(run.FeatureServiceVersion.ToString(CultureInfo.InvariantCulture))
            .Add("cutoff").Add(run.Cutoff.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))
            .Finish();
    }

    /// <summary>The digest of a step's output (its values and blob digests): the input digest of the steps that read it.</summary>
    public static string OutputDigest(StepOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var digest = new DigestBuilder();
        return digest.Add("values").Add(output.Values).Add("blobs").Add(output.Blobs).Finish();
    }
}
