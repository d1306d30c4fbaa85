using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Profiles;

/// <summary>
/// One feature over the reference rows. Numeric: <see cref="Quantiles"/>, <see cref="Histogram"/>, mean and standard
/// deviation of the present values. Categorical: <see cref="Categories"/> (value → rows, missing not counted).
/// </summary>
public sealed record FeatureProfile(
    string Name,
    ColumnKind Kind,
    string? Type,
    long Count,
    long Missing,
    double MissingShare,
    long UniqueCount,
    IReadOnlyList<Quantile>? Quantiles = null,
    Histogram? Histogram = null,
    double? Mean = null,
    double? StandardDeviation = null,
    IReadOnlyDictionary<string, long>? Categories = null);
