using CreditRisk.Scoring.Options;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// Loads every served model at start (retrying every InitialRetryInterval until it loads) and reconciles each with the
/// registry every ReconcileInterval afterwards, so a promotion or experiment change whose event this replica missed
/// still applies. Start-up does not wait for it: readiness says when a model is loaded.
/// </summary>
public sealed class ModelReconciler(ModelLifecycle lifecycle, ServedModels served, IOptions<ScoringOptions> options, TimeProvider clock,
    ILogger<ModelReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var models = settings.ServedModels();
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var model in models)
            {
                try
                {
                    await lifecycle.ReconcileAsync(model, served.StateOf(model) is null ? "start" : "reconcile", stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception unexpected)
                {
                    logger.LogError(unexpected, "Reconciling {Model} failed", model);
                }
            }
            var allLoaded = models.All(model => served.StateOf(model) is not null);
            try
            {
                await Task.Delay(allLoaded ? settings.ReconcileInterval : settings.InitialRetryInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
