namespace CreditRisk.Scoring.Bench;

/// <summary>A load shape: a closed loop of <see cref="Concurrency"/> callers, or an open loop at <see cref="Rate"/> requests/s.</summary>
public sealed record Scenario(string Name, int Concurrency, double Rate)
{
    public bool IsOpenLoop => Rate > 0;

    public static Scenario ClosedLoop(int concurrency) => new($"concurrency {concurrency}", concurrency, 0);

    public static Scenario OpenLoop(double rate) => new(FormattableString.Invariant($"constant {rate:0}/s"), 0, rate);

    /// <summary>One caller sending the target's empty call: what the transport alone costs on this machine.</summary>
    public static Scenario TransportFloor() => new("floor (ServerLive)", 1, 0);
}
