using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Modeling.Training;
using CreditRisk.Training.Steps;
using Grpc.Net.Client;

namespace CreditRisk.Training.Commands;

/// <summary>
/// train-csv's record in the registry: a run in the experiment (created when missing) with the file, its settings and the
/// winner's CV metrics, one child run per candidate as the pipeline logs them, and the winner's model as an artifact.
/// </summary>
public static class TrainCsvRegistryLog
{
    public const string DefaultExperiment = "train-csv";

    public static async Task<Run> LogAsync(string registryAddress, string apiKey, string experimentName, string file, string label, string positive,
        TrainingSettings settings, TrainingReport report, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(registryAddress);
        var registry = new TrainingRegistry(new RegistryService.RegistryServiceClient(channel.WithApiKey(apiKey)));
        var experiment = await registry.ExperimentAsync(experimentName, cancellationToken);
        var run = await registry.Client.CreateRunAsync(new CreateRunRequest
        {
            ExperimentId = experiment.ExperimentId,
            Name = $"train-csv {Path.GetFileName(file)}",
            Tags = { ["source_file"] = Path.GetFullPath(file), ["winner"] = report.Winner.Name },
        }, cancellationToken: cancellationToken);
        var log = new LogBatchRequest { RunId = run.RunId };
        log.Params.Add(new Dictionary<string, string>
        {
            ["label"] = label,
            ["positive"] = positive,
            ["folds"] = settings.Folds.ToString(CultureInfo.InvariantCulture),
            ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["trials"] = settings.Trials?.ToString(CultureInfo.InvariantCulture) ?? "per candidate",
            ["winner"] = report.Winner.Name,
        });
        log.Metrics.Add(new Metric { Key = "cv_roc_auc", Value = report.Winner.Best.Mean.RocAuc });
        await registry.Client.LogBatchAsync(log, cancellationToken: cancellationToken);
        await registry.LogCandidatesAsync(experiment.ExperimentId, run.RunId, report, cancellationToken);
        await registry.UploadAsync(run.RunId, "model/model.zip", report.Model.ToBytes(), cancellationToken);
        await registry.FinishAsync(run.RunId, cancellationToken);
        return run;
    }
}
