namespace CreditRisk.Modeling.Profiles;

/// <summary>
/// A bounded, seeded sample of the reference rows, kept column by column so a drift monitor can compute exact
/// two-sample statistics (KS, Wasserstein, chi-square) later. Rows keep their original order; <see cref="Numeric"/>
/// and <see cref="Categorical"/> are keyed by feature name, each list one entry per sampled row (null = missing).
/// </summary>
public sealed record ReferenceSample(
    int Seed,
    long PopulationRows,
    IReadOnlyDictionary<string, IReadOnlyList<double?>> Numeric,
    IReadOnlyDictionary<string, IReadOnlyList<string?>> Categorical,
    IReadOnlyList<double> Scores,
    IReadOnlyList<bool>? Labels)
{
    public int Count => Scores.Count;
}
