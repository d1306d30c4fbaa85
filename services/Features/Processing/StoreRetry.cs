using CreditRisk.Features.Persistence;
using Polly;
using Polly.Retry;

namespace CreditRisk.Features.Processing;

/// <summary>
/// Retries the processor's store and broker operations — every one idempotent — until they succeed or the token is
/// cancelled: an outage delays processing, it never skips part of a batch. Another writer's change
/// (<see cref="ConcurrentStateUpdateException"/>) is not retried: the caller returns to its checkpoint.
/// </summary>
public sealed class StoreRetry
{
    private static readonly ResiliencePropertyKey<string> What = new("creditrisk.features.retry.what");

    private readonly ResiliencePipeline _pipeline;

    public StoreRetry(ILogger<StoreRetry> logger)
    {
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } exception
                    && exception is not ConcurrentStateUpdateException
                    && !arguments.Context.CancellationToken.IsCancellationRequested),
                OnRetry = arguments =>
                {
                    FeatureProcessorTelemetry.BatchRetries.Add(1);
                    logger.LogWarning(arguments.Outcome.Exception, "Could not {What} (attempt {Attempt}); retrying in {Delay}",
                        arguments.Context.Properties.GetValue(What, "complete an operation"), arguments.AttemptNumber + 1, arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="operation"/> until it succeeds; <paramref name="what"/> completes "Could not …" in the log.</summary>
    public async Task UntilDoneAsync(string what, Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(What, what);
        try
        {
            await _pipeline.ExecuteAsync(
                static async (context, operation) => await operation(context.CancellationToken), context, operation);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
