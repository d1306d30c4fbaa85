using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.PredictionLog;

/// <summary>
/// Publishes the buffer's predictions to <see cref="TopicCatalogue.Predictions"/> in batches through the messaging
/// library. A failed batch is retried (with backoff) until it is acknowledged, so a Kafka outage fills the buffer and then
/// pushes back on requests instead of losing predictions. On shutdown, after requests have stopped, the buffer is closed
/// and drained for up to DrainTimeout.
/// </summary>
public sealed class PredictionLogPublisher(
    PredictionLogBuffer buffer,
    IEventPublisher publisher,
    ScoringMetrics metrics,
    IOptions<ScoringOptions> options,
    ILogger<PredictionLogPublisher> logger) : IHostedService
{
    private readonly PredictionLogOptions _options = options.Value.PredictionLog;
    private readonly CancellationTokenSource _abandon = new();
    private Task? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => RunAsync(_abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        buffer.Complete();
        if (_running is null)
        {
            return;
        }
        try
        {
            await _running.WaitAsync(_options.DrainTimeout, cancellationToken);
        }
        catch (Exception late) when (late is TimeoutException or OperationCanceledException)
        {
            logger.LogError("The prediction log could not be drained in time: {Count} predictions were not published", buffer.Count);
            await _abandon.CancelAsync();
        }
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _abandon.Dispose();
    }

    private async Task RunAsync(CancellationToken abandon)
    {
        var reader = buffer.Reader;
        var batch = new List<TracedEvent>(_options.BatchSize);
        var topic = TopicCatalogue.Predictions.Name;
        try
        {
            while (await reader.WaitToReadAsync(abandon))
            {
                while (batch.Count < _options.BatchSize && reader.TryRead(out var prediction))
                {
                    batch.Add(prediction);
                }
                await PublishUntilAcknowledgedAsync(batch, topic, abandon);
                metrics.LogPublished(batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
        }
    }

    private async Task PublishUntilAcknowledgedAsync(List<TracedEvent> batch, string topic, CancellationToken abandon)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await publisher.PublishBatchAsync(batch, topic, abandon);
                return;
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                // Republished whole: consumers deduplicate on the envelope's event id, which a retry keeps.
                metrics.LogPublishFailed();
                logger.LogWarning(failed, "Publishing {Count} predictions failed; retrying in {Delay} ({Buffered} buffered)", batch.Count, delay, buffer.Count);
                await Task.Delay(delay, abandon);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
