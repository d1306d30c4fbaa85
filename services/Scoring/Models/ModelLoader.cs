using System.Diagnostics;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Modeling.Models;
using CreditRisk.Scoring.Telemetry;
using Grpc.Core;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// Makes a registry model version servable: reads the version, downloads its artifact (streamed) checked against the version's
/// artifact_sha256, loads the model with the modeling library, resolves its inputs against
/// the feature registry and warms it by scoring a probe row of the signature's defaults. Any failure is a
/// <see cref="ModelLoadException"/>; nothing half-loaded is ever returned.
/// </summary>
public sealed class ModelLoader(RegistryService.RegistryServiceClient registry, ILogger<ModelLoader> logger)
{
    public async Task<LoadedModel> LoadAsync(string modelName, int version, CancellationToken cancellationToken)
    {
        using var activity = ScoringTelemetry.Source.StartActivity("model load");
        activity?.SetTag("creditrisk.model.name", modelName);
        activity?.SetTag("creditrisk.model.version", version);
        var started = Stopwatch.GetTimestamp();
        var described = await Registry(() => registry.GetModelVersionAsync(
            new GetModelVersionRequest { ModelName = modelName, Version = version }, cancellationToken: cancellationToken).ResponseAsync);
        byte[] bytes;
        try
        {
            bytes = await Registry(() => registry.DownloadVerifiedAsync(described.RunId, described.ArtifactSha256, cancellationToken));
        }
        catch (ArtifactIntegrityException failed)
        {
            throw new ModelLoadException(failed.Missing ? "artifact" : "digest", $"{modelName} v{version}: {failed.Message}", failed);
        }
        var digest = described.ArtifactSha256.ToLowerInvariant();
        CreditRiskModel model;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            model = CreditRiskModel.Load(stream);
        }
        catch (Exception corrupt) when (corrupt is InvalidDataException or IOException or FormatException or System.Text.Json.JsonException
            or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new ModelLoadException("artifact", $"{modelName} v{version}: the artifact is not a loadable model: {corrupt.Message}", corrupt);
        }
        var features = ModelFeatures.Of(model.Signature);
        LoadedModel loaded;
        try
        {
            loaded = new LoadedModel(modelName, version, digest, model, features);
        }
        catch (Exception unexplainable) when (unexplainable is InvalidOperationException or NotSupportedException)
        {
            throw new ModelLoadException("explainer", $"{modelName} v{version}: its reason codes cannot be computed: {unexplainable.Message}", unexplainable);
        }
        try
        {
            Warm(loaded);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
        logger.LogInformation("Loaded {Model} v{Version} ({Inputs} inputs, feature service {Service}@{ServiceVersion}) in {Elapsed:0} ms",
            modelName, version, loaded.Features.Inputs.Count, model.Signature.FeatureService, model.Signature.FeatureServiceVersion,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return loaded;
    }

    /// <summary>
    /// Scores a probe row of the declared defaults (a numeric input's training mean, a categorical input's first
    /// category) with and without reasons: the first pass builds the prediction engines, so no request pays for it, and a
    /// model that cannot score or be explained is refused here.
    /// </summary>
    private static void Warm(LoadedModel loaded)
    {
        var probe = loaded.Features.Inputs.Select(input => input.Default switch
        {
            { Treatment: InputDefault.MeanTreatment, Value: { } mean } => (object?)mean,
            { Categories: [var first, ..] } => first,
            _ => null,
        }).ToArray();
        double probability;
        try
        {
            probability = loaded.ScoreVector(probe);
            loaded.Explainer.Explain(probe);
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            throw new ModelLoadException("warmup", $"{loaded}: scoring the probe row failed: {failed.Message}", failed);
        }
        if (!double.IsFinite(probability) || probability is < 0 or > 1)
        {
            throw new ModelLoadException("warmup", $"{loaded}: the probe row scored {probability}, not a probability");
        }
    }

    private static async Task<T> Registry<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException failed) when (failed.StatusCode != StatusCode.Cancelled)
        {
            throw new ModelLoadException("registry", $"the registry answered {failed.StatusCode}: {failed.Status.Detail}", failed);
        }
    }
}
