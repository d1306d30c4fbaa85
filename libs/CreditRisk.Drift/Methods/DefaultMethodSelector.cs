using CreditRisk.Drift.Columns;

namespace CreditRisk.Drift.Methods;

/// <summary>
/// Evidently's default test per column, from the reference size, the column's kind and its distinct values counted
/// over reference and current together: up to 1,000 reference rows, KS for numbers with more than 5 values,
/// else chi-square above 2 values and the z-test at 2 or fewer; beyond 1,000 rows, normed Wasserstein for numbers
/// with more than 5 values, else Jensen-Shannon.
/// </summary>
public static class DefaultMethodSelector
{
    public const int SmallReferenceMaxRows = 1000;
    public const int NumericMinUnique = 5;
    public const int BinaryMaxUnique = 2;

    public static DriftMethod Select(long referenceRows, ColumnKind kind, int pooledUniqueCount)
    {
        var manyValues = kind == ColumnKind.Numeric && pooledUniqueCount > NumericMinUnique;
        if (referenceRows <= SmallReferenceMaxRows)
        {
            if (manyValues) return DriftMethod.Ks;
            return pooledUniqueCount > BinaryMaxUnique ? DriftMethod.ChiSquare : DriftMethod.Z;
        }
        return manyValues ? DriftMethod.Wasserstein : DriftMethod.JensenShannon;
    }
}
