using Microsoft.Extensions.Options;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// This replica's share of the pipeline work: <see cref="PipelineOptions.Concurrency"/> loops, each claiming the
/// oldest claimable run (queued, or running with an expired lease), executing it, and looking again; idle, each waits
/// for its poll interval or a run created here.
/// </summary>
public sealed class PipelineWorker(
    PipelineRunStore runs,
    PipelineRunExecutor executor,
    PipelineSignal signal,
    ReplicaIdentity replica,
    IOptions<PipelineOptions> options,
    ILogger<PipelineWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Pipeline worker {Replica} executing up to {Concurrency} runs at a time", replica.Id, options.Value.Concurrency);
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Concurrency)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ClaimedRun? claimed = null;
            try
            {
                PipelineTelemetry.QueuedRuns = await runs.CountQueuedAsync(stoppingToken);
                claimed = await runs.ClaimAsync(replica.Id, options.Value.LeaseDuration, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(exception, "Could not look for pipeline runs to execute; trying again");
            }
            if (claimed is not null)
            {
                await executor.ExecuteAsync(claimed, stoppingToken);
                continue;
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
