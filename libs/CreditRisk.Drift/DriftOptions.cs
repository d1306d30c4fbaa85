namespace CreditRisk.Drift;

/// <summary>How columns are tested and when the dataset counts as drifted.</summary>
public sealed record DriftOptions
{
    /// <summary>Evidently's default: the dataset drifts when at least half of its columns do.</summary>
    public const double DefaultDriftShareThreshold = 0.5;

    /// <summary>Evidently's Jensen-Shannon distance takes base-2 logarithms (bounded by 1).</summary>
    public const double DefaultJensenShannonLogBase = 2.0;

    /// <summary>Per-column method and threshold, by column name (ordinal).</summary>
    public IReadOnlyDictionary<string, ColumnDriftOptions> Columns { get; init; } = new Dictionary<string, ColumnDriftOptions>(StringComparer.Ordinal);

    public double DriftShareThreshold { get; init; } = DefaultDriftShareThreshold;

    /// <summary>The logarithm base for Jensen-Shannon; null for natural logarithms (scipy's default).</summary>
    public double? JensenShannonLogBase { get; init; } = DefaultJensenShannonLogBase;

    /// <summary>Columns tested at once; 0 for one per processor.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
