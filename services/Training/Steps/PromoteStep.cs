using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.Steps;

/// <summary>
/// promote: the new version gets the alias <c>challenger</c>, and <c>champion</c> when <see cref="PromotionPolicy"/> says
/// so; the decision and its reason become output values and tags of the parent run, which then finishes. Moving an
/// alias to where it already points is skipped, so a re-execution changes nothing.
/// </summary>
public sealed class PromoteStep(TrainingRegistry registry) : IPipelineStep
{
    public string Name => TrainingStepNames.Promote;

    public string CodeVersion => "1";

    public IReadOnlyList<string> Consumes => [TrainingStepNames.Train, TrainingStepNames.Evaluate, TrainingStepNames.Register];

    public bool Cacheable => false;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = context.Run;
        var parameters = StepParameters.Of(run);
        var evaluated = context.OutputOf(TrainingStepNames.Evaluate);
        var registered = context.OutputOf(TrainingStepNames.Register);
        var version = int.Parse(registered.Value("model_version"), CultureInfo.InvariantCulture);
        var parentRunId = context.OutputOf(TrainingStepNames.Train).Value("parent_run_id");

        var current = await registry.AliasAsync(run.ModelName, TrainingRegistry.ChampionAlias, cancellationToken);
        PromotionDecision decision;
        if (current?.Version == version)
        {
            decision = new PromotionDecision(true, $"version {version} is already the champion (a re-execution)");
        }
        else
        {
            decision = PromotionPolicy.Decide(new PromotionInputs(
                version,
                Number(evaluated, "oot_roc_auc")!.Value,
                Number(evaluated, "oot_ece")!.Value,
                Number(evaluated, "oot_ks")!.Value,
                Champion(evaluated),
                parameters.PromotionMargin,
                parameters.CalibrationGuard,
                parameters.KsGuard));
        }
        context.Log($"{run.ModelName} v{version}: {decision.Reason}");

        await MoveAsync(run.ModelName, TrainingRegistry.ChallengerAlias, version, $"pipeline run {run.RunId}: trained", cancellationToken);
        if (decision.Champion)
        {
            await MoveAsync(run.ModelName, TrainingRegistry.ChampionAlias, version, $"pipeline run {run.RunId}: {decision.Reason}", cancellationToken);
        }
        var tags = new LogBatchRequest { RunId = parentRunId };
        tags.Tags.Add(new Dictionary<string, string>
        {
            ["promotion_decision"] = decision.Outcome,
            ["promotion_reason"] = decision.Reason,
            ["model_version"] = version.ToString(CultureInfo.InvariantCulture),
        });
        await registry.Client.LogBatchAsync(tags, cancellationToken: cancellationToken);
        await registry.FinishAsync(parentRunId, cancellationToken);
        return new StepOutput(
            new Dictionary<string, string>
            {
                ["decision"] = decision.Outcome,
                ["reason"] = decision.Reason,
                ["model_version"] = version.ToString(CultureInfo.InvariantCulture),
            },
            new Dictionary<string, string>());
    }

    private async Task MoveAsync(string model, string alias, int version, string reason, CancellationToken cancellationToken)
    {
        if ((await registry.AliasAsync(model, alias, cancellationToken))?.Version == version)
        {
            return;
        }
        await registry.Client.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = alias, Version = version, Reason = reason }, cancellationToken: cancellationToken);
    }

    /// <summary>The champion as the evaluate step recorded it (scored on the same slice), or why not.</summary>
    public static ChampionComparison Champion(StepOutput evaluated)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        int? version = evaluated.Values.TryGetValue("champion_version", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        if (version is null)
        {
            return ChampionComparison.None;
        }
        return new ChampionComparison(
            version, Number(evaluated, "champion_oot_roc_auc"), Number(evaluated, "champion_oot_ece"), Number(evaluated, "champion_oot_ks"),
            evaluated.Values.GetValueOrDefault("champion_unavailable"));
    }

    private static double? Number(StepOutput output, string name) =>
        output.Values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : null;
}
