using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditRisk.Outbox;

/// <summary>Runs the relay: right after each outbox commit, and on a timer for anything else pending (e.g. after a crash).</summary>
public sealed class OutboxRelayService(OutboxRelay relay, OutboxSignal signal, IOptions<OutboxOptions> options, ILogger<OutboxRelayService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pollInterval = TimeSpan.FromMilliseconds(options.Value.PollIntervalMs);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var relayed = await relay.RelayBatchAsync(stoppingToken);
                failures = 0;
                if (relayed > 0)
                {
                    logger.LogDebug("Relayed {Count} outbox events", relayed);
                    // A full batch may have more behind it.
                    continue;
                }
                await signal.WaitAsync(pollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Nothing was marked relayed: the next attempt publishes the same events again (same event ids).
                failures++;
                OutboxTelemetry.RelayFailures.Add(1, new KeyValuePair<string, object?>(OutboxTelemetry.TableTag, options.Value.Table));
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, Math.Min(failures, 8))));
                logger.LogWarning(exception, "Outbox relay failed (attempt {Attempt}); retrying in {Delay}", failures, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
