namespace CreditRisk.Registry.Tracking;

/// <summary>MLflow's limits, so clients written for it behave the same here.</summary>
public static class TrackingLimits
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;
    public const int MaxNameLength = 500;
    public const int MaxInputsPerCall = 100;
}
