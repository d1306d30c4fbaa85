using CreditRisk.Contracts.Rpc;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// Turns a trigger's <see cref="RunRequest"/> into a queued run: the model's configured feature service, version and
/// parameters under the request's overrides, checked field by field; one run per request id.
/// </summary>
public sealed class PipelineRunStarter(ModelCatalog models, PipelineStepCatalog steps, PipelineRunStore runs, PipelineSignal signal, TimeProvider time)
{
    public const int MaxLength = 200;

    /// <summary>Creates the run (or finds the one of the same request id); throws INVALID_ARGUMENT naming every bad field.</summary>
    public async Task<(PipelineRunRecord Run, bool Created)> StartAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var created = await runs.CreateAsync(Define(request), steps.Names, cancellationToken);
        if (created.Created)
        {
            signal.RunQueued();
        }
        return created;
    }

    /// <summary>The run <paramref name="request"/> asks for; throws INVALID_ARGUMENT (an <see cref="Grpc.Core.RpcException"/>) naming every bad field.</summary>
    public NewPipelineRun Define(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new FieldViolations()
            .Required("model_name", request.ModelName)
            .Required("request_id", request.RequestId)
            .MaxLength("request_id", request.RequestId, MaxLength)
            .MaxLength("feature_service", request.FeatureService, MaxLength);
        if (!string.IsNullOrWhiteSpace(request.ModelName) && !models.TryGet(request.ModelName, out _))
        {
            violations.Add("model_name", $"unknown model '{request.ModelName}'; configured: {string.Join(", ", models.Names.Order(StringComparer.Ordinal))}");
        }
        violations.ThrowIfAny();
        models.TryGet(request.ModelName, out var model);

        var featureService = string.IsNullOrWhiteSpace(request.FeatureService) ? model.FeatureService : request.FeatureService;
        if (string.IsNullOrWhiteSpace(featureService))
        {
            violations.Add("feature_service", $"required: model '{request.ModelName}' configures none");
        }
        var version = request.FeatureServiceVersion is > 0 ? request.FeatureServiceVersion.Value : model.FeatureServiceVersion;
        if (request.FeatureServiceVersion is < 0)
        {
            violations.Add("feature_service_version", $"must be positive (or 0 for the configured one), got {request.FeatureServiceVersion}");
        }
        else if (version <= 0)
        {
            violations.Add("feature_service_version", $"required: model '{request.ModelName}' configures none");
        }
        var now = time.GetUtcNow();
        var cutoff = TruncateToMicroseconds(request.Cutoff ?? now);
        if (cutoff > now.AddMinutes(1))
        {
            violations.Add("cutoff", $"{cutoff:O} is in the future: labels and features after now are not known yet");
        }
        var parameters = new Dictionary<string, string>(model.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in request.Parameters ?? new Dictionary<string, string>())
        {
            if (!model.Parameters.ContainsKey(name))
            {
                violations.Add($"parameters[{name}]",
                    $"unknown parameter of model '{request.ModelName}'; known: {string.Join(", ", model.Parameters.Keys.Order(StringComparer.Ordinal))}");
            }
            else if (string.IsNullOrWhiteSpace(value))
            {
                violations.Add($"parameters[{name}]", "empty value");
            }
            else
            {
                violations.MaxLength($"parameters[{name}]", value, MaxLength);
                parameters[name] = value;
            }
        }
        violations.ThrowIfAny();

        var definition = new PipelineRunDefinition(Guid.CreateVersion7(now), request.ModelName, featureService, version, cutoff, parameters,
            request.Trigger, string.IsNullOrWhiteSpace(request.DriftReportId) ? null : request.DriftReportId);
        return new NewPipelineRun(definition, request.RequestId, request.CacheEnabled);
    }

    /// <summary>PostgreSQL keeps microseconds: the cut-off a run reports is the one it stored.</summary>
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
}
