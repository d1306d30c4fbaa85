namespace CreditRisk.Scoring.Bench;

/// <summary>
/// When the requests of a constant-rate run are due: request i at start + i / rate. Latency is measured from that
/// intended time, not from the actual send, so a stalled server is charged for the requests it delayed (no coordinated
/// omission).
/// </summary>
public sealed class OpenLoopSchedule
{
    public OpenLoopSchedule(double requestsPerSecond, long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticksPerSecond);
        RequestsPerSecond = requestsPerSecond;
        TicksPerSecond = ticksPerSecond;
    }

    public double RequestsPerSecond { get; }

    public long TicksPerSecond { get; }

    /// <summary>The intended send time of request <paramref name="index"/>, in ticks after the start (the first tick not before i / rate, as <see cref="DueBy"/> counts).</summary>
    public long IntendedOffset(long index) => (long)Math.Ceiling(index * TicksPerSecond / RequestsPerSecond - 1e-9);

    /// <summary>How many requests are due <paramref name="elapsedTicks"/> after the start (request 0 is due at once).</summary>
    public long DueBy(long elapsedTicks) =>
        elapsedTicks < 0 ? 0 : (long)Math.Floor(elapsedTicks * RequestsPerSecond / TicksPerSecond + 1e-9) + 1;

    /// <summary>How many requests a run of <paramref name="duration"/> sends.</summary>
    public long CountIn(TimeSpan duration) => (long)Math.Round(duration.TotalSeconds * RequestsPerSecond);
}
