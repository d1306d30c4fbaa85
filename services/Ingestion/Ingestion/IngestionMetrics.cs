using System.Diagnostics.Metrics;
using CreditRisk.Contracts.Ingestion.V1;

namespace CreditRisk.Ingestion.Ingestion;

/// <summary>Counts of submitted events by kind and outcome ("CreditRisk.Ingestion" meter, exported by ServiceDefaults).</summary>
public sealed class IngestionMetrics : IDisposable
{
    public const string MeterName = "CreditRisk.Ingestion";

    private readonly Meter _meter;
    private readonly Counter<long> _events;

    public IngestionMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _events = _meter.CreateCounter<long>("creditrisk.ingestion.events", "{event}", "Submitted events by kind and status");
    }

    public void Record(string kind, SubmitStatus status) =>
        _events.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("status", status switch
        {
            SubmitStatus.Accepted => "accepted",
            SubmitStatus.Duplicate => "duplicate",
            SubmitStatus.Rejected => "rejected",
            SubmitStatus.Unavailable => "unavailable",
            _ => "unspecified",
        }));

    public void Dispose() => _meter.Dispose();
}
