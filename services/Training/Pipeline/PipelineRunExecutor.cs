using System.Diagnostics;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// Executes one claimed run from its first unfinished step to its end, renewing the lease meanwhile. Finished steps
/// (succeeded or cached) are never executed again; a cacheable step whose key an earlier execution had takes that
/// output; a transient failure is retried with backoff, a permanent or exhausted one fails the step and the run.
/// A lost lease cancels the step and records nothing more; a shutdown puts the step back and releases the lease.
/// </summary>
public sealed class PipelineRunExecutor
{
    private static readonly ResiliencePropertyKey<string> StepName = new("creditrisk.training.pipeline.step");
    private static readonly ResiliencePropertyKey<string> ModelName = new("creditrisk.training.pipeline.model");

    private readonly PipelineStepCatalog _catalog;
    private readonly PipelineRunStore _runs;
    private readonly PipelineStepStore _steps;
    private readonly BlobStore _blobs;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PipelineRunExecutor> _logger;
    private readonly ResiliencePipeline _retry;

    public PipelineRunExecutor(PipelineStepCatalog catalog, PipelineRunStore runs, PipelineStepStore steps, BlobStore blobs,
        IOptions<PipelineOptions> options, TimeProvider time, ILogger<PipelineRunExecutor> logger)
    {
        _catalog = catalog;
        _runs = runs;
        _steps = steps;
        _blobs = blobs;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _retry = BuildRetry();
    }

    public async Task ExecuteAsync(ClaimedRun claimed, CancellationToken stoppingToken)
    {
        var lease = claimed.Lease;
        using var scope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["PipelineRunId"] = lease.RunId,
            ["ModelName"] = claimed.Run.Definition.ModelName,
        });
        using var activity = PipelineTelemetry.ActivitySource.StartActivity("pipeline run");
        activity?.SetTag("creditrisk.training.run_id", lease.RunId.ToString());
        activity?.SetTag("creditrisk.training.model", claimed.Run.Definition.ModelName);
        _logger.LogInformation("Executing pipeline run {RunId} (lease token {LeaseToken})", lease.RunId, lease.Token);

        using var leaseLost = new CancellationTokenSource();
        using var execution = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(lease, leaseLost, stopHeartbeat.Token);
        var release = false;
        try
        {
            await ExecuteStepsAsync(claimed, execution.Token, stoppingToken);
        }
        catch (LeaseLostException)
        {
            _logger.LogWarning("Pipeline run {RunId} was taken over by another replica; this one records nothing more", lease.RunId);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            _logger.LogWarning("Lost the lease on pipeline run {RunId}; its step was cancelled and recorded nothing", lease.RunId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            release = true;
        }
        catch (Exception exception)
        {
            // The engine's own writes failed (the database went away): the lease lapses and a replica resumes the run.
            _logger.LogError(exception, "Pipeline run {RunId} stopped on an error of the engine; it resumes once its lease expires", lease.RunId);
        }
        finally
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }
        if (release)
        {
            await ReleaseAsync(lease);
        }
    }

    private async Task ExecuteStepsAsync(ClaimedRun claimed, CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        var lease = claimed.Lease;
        var run = claimed.Run;
        var rows = (await _steps.ReadAsync(lease.RunId, cancellationToken)).ToDictionary(row => row.Name, StringComparer.Ordinal);
        var finished = new Dictionary<string, StepOutput>(StringComparer.Ordinal);
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < _catalog.Steps.Count; ordinal++)
        {
            var step = _catalog.Steps[ordinal];
            rows.TryGetValue(step.Name, out var row);
            if (row is { Output: not null, OutputDigest: not null } && StepStatuses.IsFinished(row.Status))
            {
                finished[step.Name] = row.Output;
                digests[step.Name] = row.OutputDigest;
                continue;
            }
            if (row is null)
            {
                await _steps.AddAsync(lease, step.Name, ordinal, cancellationToken);
            }
            if (await _runs.IsCancelRequestedAsync(lease.RunId, cancellationToken))
            {
                await _runs.CancelAsync(lease, cancellationToken);
                PipelineTelemetry.RunFinished(RunStatuses.Cancelled, run.Definition.ModelName);
                _logger.LogInformation("Pipeline run {RunId} cancelled before step {Step}", lease.RunId, step.Name);
                return;
            }
            var output = await ExecuteStepAsync(claimed, step, finished, digests, cancellationToken, stoppingToken);
            if (output is null)
            {
                return;
            }
            finished[step.Name] = output.Value.Output;
            digests[step.Name] = output.Value.Digest;
        }
        await _runs.SucceedAsync(lease, cancellationToken);
        PipelineTelemetry.RunFinished(RunStatuses.Succeeded, run.Definition.ModelName);
        _logger.LogInformation("Pipeline run {RunId} succeeded", lease.RunId);
    }

    /// <summary>The step's output and its digest, or null when the step (and so the run) failed.</summary>
    private async Task<(StepOutput Output, string Digest)?> ExecuteStepAsync(ClaimedRun claimed, IPipelineStep step,
        IReadOnlyDictionary<string, StepOutput> finished, IReadOnlyDictionary<string, string> digests,
        CancellationToken cancellationToken, CancellationToken stoppingToken)
    {
        var lease = claimed.Lease;
        var run = claimed.Run;
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["PipelineStep"] = step.Name });
        using var activity = PipelineTelemetry.ActivitySource.StartActivity($"pipeline step {step.Name}");
        activity?.SetTag("creditrisk.training.run_id", lease.RunId.ToString());
        activity?.SetTag("creditrisk.training.step", step.Name);

        var inputs = step.Consumes.ToDictionary(name => name, name => digests[name], StringComparer.Ordinal);
        var cacheKey = StepCacheKey.Compute(step, inputs, run.Definition);
        if (run.CacheEnabled && step.Cacheable && await _steps.FindCachedAsync(cacheKey, cancellationToken) is { } hit)
        {
            await _steps.RecordCacheHitAsync(lease, step.Name, cacheKey, inputs, hit.RunId, hit.Output, hit.Digest, cancellationToken);
            PipelineTelemetry.StepFinished(step.Name, StepStatuses.Cached, TimeSpan.Zero, run.Definition.ModelName);
            activity?.SetTag("creditrisk.training.outcome", StepStatuses.Cached);
            _logger.LogInformation("Step {Step} reused the output of run {SourceRunId}", step.Name, hit.RunId);
            return (hit.Output, hit.Digest);
        }

        var started = _time.GetTimestamp();
        var attempts = 0;
        StepOutput output;
        try
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(StepName, step.Name);
            context.Properties.Set(ModelName, run.Definition.ModelName);
            try
            {
                output = await _retry.ExecuteAsync(async attempt =>
                {
                    attempts++;
                    return await AttemptAsync(lease, run.Definition, step, cacheKey, inputs, finished, attempts, attempt.CancellationToken);
                }, context);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        catch (LeaseLostException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                await ResetAsync(lease, step.Name);
            }
            throw;
        }
        catch (Exception exception)
        {
            var elapsed = _time.GetElapsedTime(started);
            var reason = exception is PipelineStepFailedException || !TransientFailures.IsTransient(exception)
                ? exception.Message
                : $"{exception.Message} (gave up after {attempts} attempts)";
            await _steps.FailAsync(lease, step.Name, reason, $"step '{step.Name}': {reason}", cancellationToken);
            PipelineTelemetry.StepFinished(step.Name, StepStatuses.Failed, elapsed, run.Definition.ModelName);
            PipelineTelemetry.RunFinished(RunStatuses.Failed, run.Definition.ModelName);
            activity?.SetTag("creditrisk.training.outcome", StepStatuses.Failed);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            _logger.LogWarning(exception, "Pipeline run {RunId} failed at step {Step}: {Reason}", lease.RunId, step.Name, reason);
            return null;
        }

        var duration = _time.GetElapsedTime(started);
        var digest = StepCacheKey.OutputDigest(output);
        await _steps.SucceedAsync(lease, step.Name, output, digest, duration, cancellationToken);
        PipelineTelemetry.StepFinished(step.Name, StepStatuses.Succeeded, duration, run.Definition.ModelName);
        activity?.SetTag("creditrisk.training.outcome", StepStatuses.Succeeded);
        activity?.SetTag("creditrisk.training.attempts", attempts);
        return (output, digest);
    }

    private async Task<StepOutput> AttemptAsync(RunLease lease, PipelineRunDefinition run, IPipelineStep step, string cacheKey,
        IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, StepOutput> finished, int attempt, CancellationToken cancellationToken)
    {
        await _steps.BeginAttemptAsync(lease, step.Name, cacheKey, inputs, cancellationToken);
        var log = new StepLogWriter(lease, step.Name, _steps, _logger, _time);
        try
        {
            var output = await step.ExecuteAsync(new PersistedStepContext(run, step, finished, _blobs, log), cancellationToken)
                ?? throw new PipelineStepFailedException("the step returned no output");
            await CheckOutputAsync(output, cancellationToken);
            return output;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.Write($"attempt {attempt} failed: {exception.GetType().Name}: {exception.Message}");
            throw;
        }
        finally
        {
            await log.CompleteAsync();
        }
    }

    /// <summary>Blob names carry an extension (the API's content type) and every blob is in the store.</summary>
    private async Task CheckOutputAsync(StepOutput output, CancellationToken cancellationToken)
    {
        foreach (var name in output.Blobs.Keys)
        {
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || Path.GetExtension(name).Length < 2)
            {
                throw new PipelineStepFailedException($"blob name '{name}' needs an extension and no '/' (e.g. report.html)");
            }
        }
        var missing = await _blobs.MissingAsync([.. output.Blobs.Values.Distinct(StringComparer.Ordinal)], cancellationToken);
        if (missing.Count > 0)
        {
            throw new PipelineStepFailedException($"the output names blob {missing[0]}, which was never stored (PutBlobAsync)");
        }
    }

    private async Task HeartbeatAsync(RunLease lease, CancellationTokenSource leaseLost, CancellationToken cancellationToken)
    {
        var lastRenewed = _time.GetTimestamp();
        while (true)
        {
            try
            {
                await Task.Delay(_options.EffectiveHeartbeatInterval, _time, cancellationToken);
                if (!await _runs.RenewAsync(lease, _options.LeaseDuration, cancellationToken))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
                lastRenewed = _time.GetTimestamp();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _logger.LogWarning(exception, "Could not renew the lease on pipeline run {RunId}", lease.RunId);
                if (_time.GetElapsedTime(lastRenewed) >= _options.LeaseDuration)
                {
                    // Another replica may hold it by now: stop rather than work beside it.
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
    }

    private async Task ResetAsync(RunLease lease, string step)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _steps.ResetAsync(lease, step, timeout.Token);
        }
        catch (Exception exception) when (exception is LeaseLostException or Npgsql.NpgsqlException or OperationCanceledException)
        {
            _logger.LogDebug(exception, "Could not put step {Step} back to pending", step);
        }
    }

    private async Task ReleaseAsync(RunLease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _runs.ReleaseAsync(lease, timeout.Token);
            _logger.LogInformation("Released pipeline run {RunId} on shutdown; any replica resumes it", lease.RunId);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException)
        {
            _logger.LogWarning(exception, "Could not release pipeline run {RunId}; it resumes once its lease expires", lease.RunId);
        }
    }

    private ResiliencePipeline BuildRetry()
    {
        var builder = new ResiliencePipelineBuilder();
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } exception
                    && !arguments.Context.CancellationToken.IsCancellationRequested
                    && TransientFailures.IsTransient(exception)),
                OnRetry = arguments =>
                {
                    var step = arguments.Context.Properties.GetValue(StepName, "?");
                    PipelineTelemetry.StepRetried(step, arguments.Context.Properties.GetValue(ModelName, "?"));
                    _logger.LogWarning(arguments.Outcome.Exception, "Step {Step} failed transiently (attempt {Attempt}); retrying in {Delay}",
                        step, arguments.AttemptNumber + 1, arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.Build();
    }
}
