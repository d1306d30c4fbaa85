using System.Collections.Concurrent;
using CreditRisk.Benchmarking;

namespace CreditRisk.Scenario;

/// <summary>What the load generator did, safe to update from every in-flight application at once.</summary>
public sealed class TrafficCounters
{
    private long _submitFailed;
    private long _scored;
    private long _scoreFailed;
    private long _shiftedScored;
    private long _outcomesRecorded;
    private long _outcomeFailed;
    private int _championVersion;
    private bool _training;

    /// <summary>Score latency while no training run competes for the machine's cores.</summary>
    public LatencyRecorder ScoreLatency { get; } = new();

    /// <summary>Score latency while the retrain run trains on the same cores.</summary>
    public LatencyRecorder ScoreLatencyWhileTraining { get; } = new();

    /// <summary>Whether a retrain run is training now: latencies then go to <see cref="ScoreLatencyWhileTraining"/>.</summary>
    public bool Training
    {
        get => Volatile.Read(ref _training);
        set => Volatile.Write(ref _training, value);
    }

    /// <summary>Scored requests by "arm vN".</summary>
    public ConcurrentDictionary<string, long> ByArm { get; } = new(StringComparer.Ordinal);

    /// <summary>Scored requests by the scoring replica that answered (its x-served-by trailer).</summary>
    public ConcurrentDictionary<string, long> ByReplica { get; } = new(StringComparer.Ordinal);

    /// <summary>Failed calls by "call: status".</summary>
    public ConcurrentDictionary<string, long> Failures { get; } = new(StringComparer.Ordinal);

    public long SubmitFailed => Interlocked.Read(ref _submitFailed);

    public long Scored => Interlocked.Read(ref _scored);

    public long ScoreFailed => Interlocked.Read(ref _scoreFailed);

    public long ShiftedScored => Interlocked.Read(ref _shiftedScored);

    public long OutcomesRecorded => Interlocked.Read(ref _outcomesRecorded);

    public long OutcomeFailed => Interlocked.Read(ref _outcomeFailed);

    /// <summary>The highest version the champion arm served.</summary>
    public int ChampionVersion => Volatile.Read(ref _championVersion);

    public void ScoreSucceeded(string arm, int version, bool shifted, string? replica = null)
    {
        ByReplica.AddOrUpdate(replica ?? "unnamed", 1, (_, count) => count + 1);
        Interlocked.Increment(ref _scored);
        if (shifted)
        {
            Interlocked.Increment(ref _shiftedScored);
        }
        ByArm.AddOrUpdate($"{arm} v{version}", 1, (_, count) => count + 1);
        if (arm == "champion")
        {
            int seen;
            while (version > (seen = Volatile.Read(ref _championVersion)) && Interlocked.CompareExchange(ref _championVersion, version, seen) != seen)
            {
            }
        }
    }

    public void OutcomeSucceeded() => Interlocked.Increment(ref _outcomesRecorded);

    public void Failed(string call, string status)
    {
        if (call == LoadGenerator.SubmitCall)
        {
            Interlocked.Increment(ref _submitFailed);
        }
        else if (call == LoadGenerator.ScoreCall)
        {
            Interlocked.Increment(ref _scoreFailed);
        }
        else
        {
            Interlocked.Increment(ref _outcomeFailed);
        }
        Failures.AddOrUpdate($"{call}: {status}", 1, (_, count) => count + 1);
    }

    /// <summary>One line for the progress output.</summary>
    public string Describe() =>
        $"{Scored} scored ({ScoreFailed} failed), {ShiftedScored} of them shifted, {OutcomesRecorded} outcomes recorded; arms: {Counts(ByArm)}";

    /// <summary>"a 3, b 5": the counts in name order.</summary>
    public static string Counts(IEnumerable<KeyValuePair<string, long>> counts) =>
        string.Join(", ", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"));
}
