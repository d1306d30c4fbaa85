using System.Globalization;
using System.Security.Cryptography;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Modeling.Training;
using Google.Protobuf;
using Grpc.Core;

namespace CreditRisk.Training.Steps;

/// <summary>
/// The registry calls the steps make, each safe to repeat: an experiment and a pipeline's parent run are looked up
/// (by name, by the pipeline_run_id tag) before they are created, so a step re-executed after a crash reuses them.
/// </summary>
public sealed class TrainingRegistry(RegistryService.RegistryServiceClient registry)
{
    public const string PipelineRunTag = "pipeline_run_id";

    /// <summary>MLflow's name for a child run's parent (mlflow.parentRunId); ours without the prefix.</summary>
    public const string ParentRunTag = "parent_run_id";

    public const string CandidateTag = "candidate";
    public const string ChampionAlias = "champion";
    public const string ChallengerAlias = "challenger";

    public RegistryService.RegistryServiceClient Client => registry;

    public async Task<Experiment> ExperimentAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.GetExperimentByNameAsync(new GetExperimentByNameRequest { Name = name }, cancellationToken: cancellationToken);
        }
        catch (RpcException missing) when (missing.StatusCode == StatusCode.NotFound)
        {
            try
            {
                return await registry.CreateExperimentAsync(new CreateExperimentRequest { Name = name }, cancellationToken: cancellationToken);
            }
            catch (RpcException raced) when (raced.StatusCode == StatusCode.AlreadyExists)
            {
                return await registry.GetExperimentByNameAsync(new GetExperimentByNameRequest { Name = name }, cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>The one run of <paramref name="experimentId"/> whose tags all match (e.g. the parent of a pipeline run), or null.</summary>
    public async Task<Run?> FindRunAsync(string experimentId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var filter = string.Join(" and ", tags.Select(tag => $"tags.{tag.Key} = '{tag.Value.Replace("'", "''", StringComparison.Ordinal)}'"));
        var found = await registry.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { experimentId },
            Filter = filter,
            OrderBy = { "attributes.start_time" },
            PageSize = 10,
        }, cancellationToken: cancellationToken);
        return found.Runs.FirstOrDefault();
    }

    /// <summary>The run tagged with <paramref name="identity"/>, created with <paramref name="tags"/> when there is none.</summary>
    public async Task<Run> RunAsync(
        string experimentId, string name, IReadOnlyDictionary<string, string> identity, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        if (await FindRunAsync(experimentId, identity, cancellationToken) is { } existing)
        {
            return existing;
        }
        var request = new CreateRunRequest { ExperimentId = experimentId, Name = name };
        request.Tags.Add(identity.ToDictionary());
        foreach (var (key, value) in tags)
        {
            request.Tags[key] = value;
        }
        return await registry.CreateRunAsync(request, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// One finished child run of <paramref name="parentRunId"/> per candidate (found again by its tags when it exists): the
    /// best trial's hyperparameters as params, its cross-validated metrics. Returns candidate name → child run id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> LogCandidatesAsync(string experimentId, string parentRunId, TrainingReport report,
        CancellationToken cancellationToken)
    {
        var children = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var candidate in report.Candidates)
        {
            var child = await RunAsync(
                experimentId,
                candidate.Name,
                new Dictionary<string, string> { [ParentRunTag] = parentRunId, [CandidateTag] = candidate.Name },
                new Dictionary<string, string>(),
                cancellationToken);
            var log = new LogBatchRequest { RunId = child.RunId };
            log.Params.Add(candidate.Best.Parameters.Values.ToDictionary(pair => pair.Key, pair => pair.Value.ToString("R", CultureInfo.InvariantCulture)));
            var mean = candidate.Best.Mean;
            log.Metrics.Add(new[]
            {
                new Metric { Key = "cv_roc_auc", Value = mean.RocAuc },
                new Metric { Key = "cv_gini", Value = mean.Gini },
                new Metric { Key = "cv_ks", Value = mean.Ks },
                new Metric { Key = "cv_log_loss", Value = mean.LogLoss },
                new Metric { Key = "cv_brier", Value = mean.Brier },
            });
            log.Tags.Add("trials", candidate.Trials.Count.ToString(CultureInfo.InvariantCulture));
            await registry.LogBatchAsync(log, cancellationToken: cancellationToken);
            await FinishAsync(child.RunId, cancellationToken);
            children[candidate.Name] = child.RunId;
        }
        return children;
    }

    public async Task FinishAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await registry.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: cancellationToken);
        if (run.Status == RunStatus.Running)
        {
            await registry.UpdateRunAsync(new UpdateRunRequest { RunId = runId, Status = RunStatus.Finished }, cancellationToken: cancellationToken);
        }
    }

    public async Task<ArtifactInfo> UploadAsync(string runId, string path, byte[] content, CancellationToken cancellationToken)
    {
        using var call = registry.UploadArtifact(cancellationToken: cancellationToken);
        const int chunk = 64 * 1024;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        for (var offset = 0; offset < content.Length || offset == 0; offset += chunk)
        {
            var message = new ArtifactChunk { Data = ByteString.CopyFrom(content, offset, Math.Min(chunk, content.Length - offset)) };
            if (offset == 0)
            {
                message.RunId = runId;
                message.Path = path;
                message.Sha256 = sha256;
            }
            await call.RequestStream.WriteAsync(message, cancellationToken);
            if (content.Length == 0)
            {
                break;
            }
        }
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    /// <summary>The artifact of <paramref name="runId"/> whose content is <paramref name="sha256"/>, verified against that digest.</summary>
    public Task<byte[]> DownloadVerifiedAsync(string runId, string sha256, CancellationToken cancellationToken) =>
        registry.DownloadVerifiedAsync(runId, sha256, cancellationToken);

    /// <summary>The version the alias points at, or null when the model or the alias does not exist.</summary>
    public async Task<ModelVersion?> AliasAsync(string model, string alias, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = model, Alias = alias }, cancellationToken: cancellationToken);
        }
        catch (RpcException missing) when (missing.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A version of <paramref name="model"/> registered from <paramref name="runId"/>, newest first, or null.</summary>
    public async Task<ModelVersion?> VersionOfRunAsync(string model, string runId, CancellationToken cancellationToken)
    {
        RegisteredModel registered;
        try
        {
            registered = await registry.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = model }, cancellationToken: cancellationToken);
        }
        catch (RpcException missing) when (missing.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        for (var version = registered.LatestVersion; version >= 1; version--)
        {
            var candidate = await registry.GetModelVersionAsync(new GetModelVersionRequest { ModelName = model, Version = version }, cancellationToken: cancellationToken);
            if (candidate.RunId == runId)
            {
                return candidate;
            }
        }
        return null;
    }
}
