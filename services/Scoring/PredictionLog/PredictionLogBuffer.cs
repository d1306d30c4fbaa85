using System.Diagnostics;
using System.Threading.Channels;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Telemetry;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.PredictionLog;

/// <summary>
/// The bounded buffer between requests and the prediction log's publisher. A request adds its prediction and goes on;
/// when the buffer is full it waits up to Scoring:PredictionLog:MaxEnqueueWait for room and then fails UNAVAILABLE:
/// back-pressure, never a silent drop.
/// </summary>
public sealed class PredictionLogBuffer
{
    private readonly Channel<TracedEvent> _channel;
    private readonly PredictionLogOptions _options;
    private readonly ScoringMetrics _metrics;

    public PredictionLogBuffer(IOptions<ScoringOptions> options, ScoringMetrics metrics)
    {
        _options = options.Value.PredictionLog;
        _metrics = metrics;
        _channel = Channel.CreateBounded<TracedEvent>(new BoundedChannelOptions(Math.Max(1, _options.Capacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        metrics.Meter.CreateObservableGauge("creditrisk.scoring.prediction_log.depth", () => _channel.Reader.Count,
            description: "Predictions buffered, not yet published");
    }

    public int Count => _channel.Reader.Count;

    internal ChannelReader<TracedEvent> Reader => _channel.Reader;

    /// <summary>Adds <paramref name="prediction"/>; throws UNAVAILABLE when the buffer stays full or is closed (shutting down).</summary>
    public async ValueTask AddAsync(PredictionLogged prediction, CancellationToken cancellationToken)
    {
        // The request's trace goes with it: the record published later continues it, for drift and audits.
        var traced = new TracedEvent(prediction, Activity.Current?.Context ?? default);
        if (_channel.Writer.TryWrite(traced))
        {
            return;
        }
        _metrics.LogWaited();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_options.MaxEnqueueWait);
        try
        {
            await _channel.Writer.WriteAsync(traced, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.LogRejected();
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"the prediction log is full ({_options.Capacity} predictions waiting to be published); retry with the same request id"));
        }
        catch (ChannelClosedException)
        {
            _metrics.LogRejected();
            throw new RpcException(new Status(StatusCode.Unavailable, "the service is shutting down; retry with the same request id"));
        }
    }

    /// <summary>No more predictions: the publisher drains what is buffered and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
