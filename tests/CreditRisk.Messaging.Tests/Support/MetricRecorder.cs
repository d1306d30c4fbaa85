using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Sums the measurements of one meter's counters per (instrument, destination topic).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Topic), double> _totals = new();

    public MetricRecorder(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public double Total(string instrument, string topic) => _totals.GetValueOrDefault((instrument, topic));

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var topic = "";
        foreach (var tag in tags)
        {
            if (tag.Key == Telemetry.MessagingTelemetry.DestinationTag)
            {
                topic = tag.Value as string ?? "";
            }
        }
        // Histograms count observations; counters sum values.
        var amount = instrument is Histogram<double> ? 1 : value;
        _totals.AddOrUpdate((instrument.Name, topic), amount, (_, total) => total + amount);
    }

    public void Dispose() => _listener.Dispose();
}
