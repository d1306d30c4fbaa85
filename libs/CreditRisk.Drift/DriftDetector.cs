using System.Runtime.ExceptionServices;
using CreditRisk.Drift.Binning;
using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;
using CreditRisk.Drift.Statistics;

namespace CreditRisk.Drift;

/// <summary>Runs each column's method (the default rule or its override) and decides column and dataset drift.</summary>
public static class DriftDetector
{
    /// <summary>Evidently's floor on the reference standard deviation that norms the Wasserstein distance.</summary>
    public const double WassersteinMinNorm = 0.001;

    /// <summary>Compares the columns present in both datasets, matched by name, in the reference's order.</summary>
    public static DatasetDriftResult Compare(IReadOnlyList<ColumnSample> reference, IReadOnlyList<ColumnSample> current, DriftOptions? options = null)
    {
        options ??= new DriftOptions();
        var currentByName = current.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var pairs = reference.Where(r => currentByName.ContainsKey(r.Name)).Select(r => (Reference: r, Current: currentByName[r.Name])).ToArray();
        var results = new ColumnDriftResult[pairs.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount };
        try
        {
            Parallel.For(0, pairs.Length, parallel, i => results[i] = CompareColumn(pairs[i].Reference, pairs[i].Current, options));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The caller sees the column's own error (e.g. a method that does not fit it), as when run serially.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return Summarize(results, options.DriftShareThreshold);
    }

    /// <summary>The dataset verdict over column results: drifted share ≥ threshold.</summary>
    public static DatasetDriftResult Summarize(IReadOnlyList<ColumnDriftResult> columns, double driftShareThreshold = DriftOptions.DefaultDriftShareThreshold)
    {
        var drifted = columns.Count(c => c.Drifted);
        var share = columns.Count == 0 ? 0.0 : (double)drifted / columns.Count;
        return new DatasetDriftResult(columns, share, driftShareThreshold, columns.Count > 0 && share >= driftShareThreshold);
    }

    public static ColumnDriftResult CompareColumn(ColumnSample reference, ColumnSample current, DriftOptions? options = null)
    {
        options ??= new DriftOptions();
        if (reference.Kind != current.Kind)
            throw new ArgumentException($"Column '{reference.Name}' is {reference.Kind} in the reference and {current.Kind} in the current data.");
        var columnOptions = options.Columns.GetValueOrDefault(reference.Name);
        var pooledUnique = reference.PooledUniqueCount(current);
        var method = columnOptions?.Method ?? DefaultMethodSelector.Select(reference.Count, reference.Kind, pooledUnique);
        if (reference.Kind == ColumnKind.Categorical && !method.AcceptsCategorical())
            throw new ArgumentException($"Method '{method.Name()}' does not apply to the text column '{reference.Name}'.");
        var threshold = columnOptions?.Threshold ?? method.DefaultThreshold();

        var empty = reference.Count == 0 || current.Count == 0;
        var value = empty ? double.NaN : Measure(method, reference, current, options.JensenShannonLogBase);
        var histogram = empty ? new ColumnHistogram(null, [], [], []) : EvidentlyBinning.Shares(reference, current, fillZeroes: false);
        return new ColumnDriftResult(reference.Name, reference.Kind, method, value, threshold, method.IsDrift(value, threshold),
            reference.Count, current.Count, reference.Missing, current.Missing, pooledUnique, histogram);
    }

    /// <summary>The method's value on two non-empty samples: a p-value, or a distance.</summary>
    public static double Measure(DriftMethod method, ColumnSample reference, ColumnSample current, double? jensenShannonLogBase = null)
    {
        switch (method)
        {
            case DriftMethod.Ks:
                return KolmogorovSmirnov.TwoSample(reference.SortedValues, current.SortedValues).PValue;
            case DriftMethod.Wasserstein:
                var norm = Math.Max(StandardDeviation(reference.SortedValues), WassersteinMinNorm);
                return Wasserstein.Distance(reference.SortedValues, current.SortedValues) / norm;
            case DriftMethod.ChiSquare:
                return ChiSquareTest(reference, current);
            case DriftMethod.Z:
                return ZTest(reference, current);
            case DriftMethod.JensenShannon:
            {
                var shares = EvidentlyBinning.Shares(reference, current, fillZeroes: false);
                return Divergences.JensenShannonDistance(shares.ReferenceShares, shares.CurrentShares, jensenShannonLogBase);
            }
            case DriftMethod.Psi:
            {
                var shares = EvidentlyBinning.Shares(reference, current, fillZeroes: true);
                return Divergences.PopulationStabilityIndex(shares.ReferenceShares, shares.CurrentShares);
            }
            case DriftMethod.Kl:
            {
                var shares = EvidentlyBinning.Shares(reference, current, fillZeroes: true);
                return Divergences.KullbackLeibler(shares.ReferenceShares, shares.CurrentShares);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, null);
        }
    }

    // Evidently scales the reference counts to the current sample size, so both sum to the current size.
    private static double ChiSquareTest(ColumnSample reference, ColumnSample current)
    {
        var table = CategoryTable.Build(reference, current);
        var scale = (double)current.Count / reference.Count;
        var expected = new double[table.Reference.Length];
        for (var i = 0; i < expected.Length; i++) expected[i] = table.Reference[i] * scale;
        return ChiSquare.GoodnessOfFit(table.Current, expected).PValue;
    }

    // The first category (in order) against all others; one and the same value on both sides cannot have drifted.
    private static double ZTest(ColumnSample reference, ColumnSample current)
    {
        var table = CategoryTable.Build(reference, current);
        var referenceKinds = table.Reference.Count(c => c > 0);
        var currentKinds = table.Current.Count(c => c > 0);
        if (table.Labels.Length == 1 && referenceKinds == 1 && currentKinds == 1) return 1.0;
        var referenceOthers = (long)(reference.Count - table.Reference[0]);
        var currentOthers = (long)(current.Count - table.Current[0]);
        return TwoProportionZ.Test(referenceOthers, reference.Count, currentOthers, current.Count).PValue;
    }

    /// <summary>The population standard deviation (numpy's std, ddof 0), in two passes.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> values)
    {
        var sum = new CompensatedSum();
        foreach (var v in values) sum.Add(v);
        var mean = sum.Value / values.Length;
        var squares = new CompensatedSum();
        foreach (var v in values) squares.Add((v - mean) * (v - mean));
        return Math.Sqrt(squares.Value / values.Length);
    }
}
