namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>A window of a stream: prediction numbers [<see cref="StartSeq"/>, <see cref="EndSeq"/>) and their prediction times.</summary>
public sealed record WindowRange(long StartSeq, long EndSeq, DateTime FirstPredicted, DateTime LastPredicted)
{
    public long Count => EndSeq - StartSeq;
}
