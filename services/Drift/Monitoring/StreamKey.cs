namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>A window stream: one model version's served predictions, or its shadow predictions.</summary>
public readonly record struct StreamKey(string ModelName, int ModelVersion, bool Served)
{
    public override string ToString() => $"{ModelName} v{ModelVersion} {(Served ? "served" : "shadow")}";
}
