namespace CreditRisk.Drift;

/// <summary>How columns are tested and when the dataset counts as drifted.</summary>
public sealed record DriftOptions
{
    /// <summary>Evidently's default: the dataset drifts when at least half of its columns do.</summary>
    public const double DefaultDriftShareThreshold = 0.5;


    /// <summary>Per-column method and threshold, by column name (ordinal).</summary>
    public IReadOnlyDictionary<string, ColumnDriftOptions> Columns { get; init; } = new Dictionary<string, ColumnDriftOptions>(StringComparer.Ordinal);

    public double DriftShareThreshold { get; init; } = DefaultDriftShareThreshold;

    /// <summary>
    /// The logarithm base for Jensen-Shannon; null (the default) for natural logarithms, as current Evidently and scipy.
    /// Some earlier Evidently releases used base 2, which gives distances larger by 1/√ln 2.
    /// </summary>
    public double? JensenShannonLogBase { get; init; }

    /// <summary>Columns tested at once; 0 for one per processor.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
