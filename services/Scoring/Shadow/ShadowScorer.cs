using System.Diagnostics;
using System.Threading.Channels;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Pipeline;
using CreditRisk.Scoring.PredictionLog;
using CreditRisk.Scoring.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Shadow;

/// <summary>
/// Scores served requests with the shadow arm off the response path: a bounded queue the request only tries to add to
/// (a full queue skips the shadow score and counts it; the caller never waits) and one background worker that scores
/// and logs with served = false. A shadow on the served arm's feature service reuses its vector; another one reads its own.
/// </summary>
public sealed class ShadowScorer(
    FeatureAssembler assembler,
    Scorer scorer,
    PredictionLogBuffer log,
    ScoringMetrics metrics,
    IOptions<ScoringOptions> options,
    ILogger<ShadowScorer> logger) : BackgroundService
{
    private readonly Channel<ShadowWork> _queue = Channel.CreateBounded<ShadowWork>(new BoundedChannelOptions(Math.Max(1, options.Value.Shadow.QueueCapacity))
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    /// <summary>Queues <paramref name="work"/> if there is room; never blocks.</summary>
    public void Offer(ShadowWork work)
    {
        if (!_queue.Writer.TryWrite(work))
        {
            metrics.ShadowSkipped("queue_full");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ScoreAsync(work, stoppingToken);
                    metrics.ShadowScored();
                }
                catch (Exception failed) when (failed is not OperationCanceledException)
                {
                    metrics.ShadowSkipped("failed");
                    logger.LogWarning(failed, "Shadow arm {Arm} ({Model}) could not score request {RequestId}", work.Shadow.Name, work.Shadow.Model, work.Request.RequestId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Shadow scores still queued at shutdown are not made; counted, as every skipped one is.
        while (_queue.Reader.TryRead(out _))
        {
            metrics.ShadowSkipped("shutdown");
        }
    }

    private async Task ScoreAsync(ShadowWork work, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var features = SameInputs(work)
            ? work.ServedFeatures
            : await assembler.AssembleAsync(work.Shadow.Model, work.Request.CustomerId, work.Request.ApplicationId, work.Request.Application,
                degradeOnUnavailable: true, cancellationToken);
        var response = scorer.Score(work.Request, work.Shadow, features);
        var logged = PredictionEvents.Logged(work.Request, response, served: false, work.Revision, Stopwatch.GetElapsedTime(started).TotalMilliseconds, work.TraceId);
        await log.AddAsync(logged, cancellationToken);
    }

    private static bool SameInputs(ShadowWork work) =>
        work.Shadow.Model.Features.Inputs.Select(input => (input.Name, input.Kind))
            .SequenceEqual(work.Served.Model.Features.Inputs.Select(input => (input.Name, input.Kind)));
}
