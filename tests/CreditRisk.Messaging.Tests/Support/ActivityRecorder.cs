using System.Collections.Concurrent;
using System.Diagnostics;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Records the activities of some sources, as an OpenTelemetry exporter would receive them.</summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    private ActivityRecorder(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name) || source.Name == "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public static ActivityRecorder Listen(params string[] sources) => new(sources);

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    public void Dispose() => _listener.Dispose();
}
