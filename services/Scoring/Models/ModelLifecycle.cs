using System.Collections.Concurrent;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Scoring.Telemetry;
using Grpc.Core;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// Brings one served model in line with the registry: reads its serving experiment, resolves each arm's alias or pinned
/// version, loads what is not loaded yet (<see cref="ModelLoader"/>: download, verify, load, warm) and swaps the new
/// state in whole. Promotions, experiment changes, rollbacks and the periodic reconcile all take this one path.
/// A version that fails to load never replaces what an arm serves: the arm keeps its previous model (a shadow arm
/// without one is left out; a live arm without one keeps the whole previous state) and the next event or reconcile
/// tries again.
/// </summary>
public sealed class ModelLifecycle(
    RegistryService.RegistryServiceClient registry,
    ModelLoader loader,
    ServedModels served,
    LoadedModelCache cache,
    ScoringMetrics metrics,
    ILogger<ModelLifecycle> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>True when every arm of the experiment now serves what the registry says.</summary>
    public async Task<bool> ReconcileAsync(string modelName, string trigger, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(modelName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ReconcileLockedAsync(modelName, trigger, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> ReconcileLockedAsync(string modelName, string trigger, CancellationToken cancellationToken)
    {
        ServingExperiment experiment;
        try
        {
            experiment = await registry.GetServingExperimentAsync(new GetServingExperimentRequest { ModelName = modelName }, cancellationToken: cancellationToken);
        }
        catch (RpcException failed) when (failed.StatusCode != StatusCode.Cancelled)
        {
            metrics.LoadFailed(modelName, "*", "registry");
            logger.LogWarning("Cannot reconcile {Model} ({Trigger}): the registry answered {Status}: {Detail}; serving what is loaded",
                modelName, trigger, failed.StatusCode, failed.Status.Detail);
            return false;
        }

        var current = served.StateOf(modelName);
        var arms = new List<ArmModel>(experiment.Arms.Count);
        var evicted = new List<LoadedModel>();
        var complete = true;
        foreach (var arm in experiment.Arms)
        {
            var target = arm.TargetCase == ServingArm.TargetOneofCase.Version ? $"version:{arm.Version}" : $"alias:{arm.Alias}";
            try
            {
                var version = await ResolveAsync(modelName, arm, cancellationToken);
                var model = current?.Arms.Select(serving => serving.Model).FirstOrDefault(loaded => loaded.Version == version)
                    ?? cache.Get(modelName, version)
                    ?? await loader.LoadAsync(modelName, version, cancellationToken);
                evicted.AddRange(cache.Add(model));
                arms.Add(new ArmModel(arm.Name, target, arm.Weight, arm.Shadow, model));
            }
            catch (ModelLoadException failed)
            {
                complete = false;
                metrics.LoadFailed(modelName, arm.Name, failed.Reason);
                var previous = current?.Arm(arm.Name);
                // An alias not set yet (a model before its first promotion) is expected; anything else is an incident.
                logger.Log(failed.Reason == "alias" ? LogLevel.Warning : LogLevel.Error, failed, "Arm {Arm} of {Model} ({Target}, {Trigger}) could not be loaded; {Kept}",
                    arm.Name, modelName, target, trigger, previous is null ? "it is not served" : $"it keeps serving v{previous.Model.Version}");
                if (previous is not null)
                {
                    arms.Add(previous with { Weight = arm.Weight, Shadow = arm.Shadow });
                }
                else if (!arm.Shadow)
                {
                    // A live arm with nothing to serve would skew every other arm's share: keep the previous state whole.
                    Release(evicted, current);
                    return false;
                }
            }
        }
        if (!arms.Any(arm => !arm.Shadow))
        {
            logger.LogWarning("The experiment of {Model} (revision {Revision}) has no live arm; serving what is loaded", modelName, experiment.Revision);
            Release(evicted, current);
            return false;
        }
        var next = new ServingState(modelName, experiment.Revision, arms);
        if (current is null || !SameServing(current, next))
        {
            served.Swap(next);
            metrics.Swapped(modelName, trigger);
            logger.LogInformation("Serving {Model} revision {Revision} ({Trigger}): {Arms}", modelName, next.Revision, trigger,
                string.Join(", ", next.Arms.Select(arm => $"{arm.Name}={arm.Model.Version}{(arm.Shadow ? " (shadow)" : $" ({arm.Weight:P0})")}")));
        }
        Release(evicted, served.StateOf(modelName));
        return complete;
    }

    /// <summary>
    /// Disposes the versions pushed out of the cache that no arm serves any more. A request reads the state once, so
    /// only one that began before the last four swaps could still hold such a version; a load takes far longer than a
    /// request, so none does.
    /// </summary>
    private static void Release(List<LoadedModel> evicted, ServingState? serving)
    {
        foreach (var model in evicted.Distinct())
        {
            if (serving is null || !serving.Arms.Any(arm => ReferenceEquals(arm.Model, model)))
            {
                model.Dispose();
            }
        }
    }

    private async Task<int> ResolveAsync(string modelName, ServingArm arm, CancellationToken cancellationToken)
    {
        if (arm.TargetCase == ServingArm.TargetOneofCase.Version)
        {
            return arm.Version;
        }
        try
        {
            var version = await registry.GetModelVersionByAliasAsync(
                new GetModelVersionByAliasRequest { ModelName = modelName, Alias = arm.Alias }, cancellationToken: cancellationToken);
            return version.Version;
        }
        catch (RpcException failed) when (failed.StatusCode != StatusCode.Cancelled)
        {
            throw new ModelLoadException(failed.StatusCode == StatusCode.NotFound ? "alias" : "registry",
                $"alias '{arm.Alias}' of {modelName}: the registry answered {failed.StatusCode}: {failed.Status.Detail}", failed);
        }
    }

    private static bool SameServing(ServingState current, ServingState next) =>
        current.Revision == next.Revision
        && current.Arms.Count == next.Arms.Count
        && current.Arms.Zip(next.Arms).All(pair => pair.First.Name == pair.Second.Name && pair.First.Model == pair.Second.Model
            && pair.First.Weight == pair.Second.Weight && pair.First.Shadow == pair.Second.Shadow);
}
