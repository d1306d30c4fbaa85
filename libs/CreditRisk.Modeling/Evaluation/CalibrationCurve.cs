namespace CreditRisk.Modeling.Evaluation;

/// <summary>How bins of a calibration curve are drawn.</summary>
public enum CalibrationBinning
{
    /// <summary>Equal-width bins over [0, 1] (scikit-learn's calibration_curve strategy "uniform").</summary>
    EqualWidth,

    /// <summary>Bins of (about) equal row counts, edges at score quantiles (strategy "quantile").</summary>
    Quantile,
}

/// <summary>
/// Predicted probability against observed rate, per bin, and the expected calibration error: the row-weighted mean of
/// |mean predicted − observed rate| over the non-empty bins.
/// </summary>
public sealed record CalibrationCurve(CalibrationBinning Binning, IReadOnlyList<CalibrationBin> Bins, double ExpectedCalibrationError)
{
    public const int DefaultBins = 10;

    public static CalibrationCurve Compute(
        IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, int bins = DefaultBins, CalibrationBinning binning = CalibrationBinning.EqualWidth)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labels.Count != probabilities.Count || labels.Count == 0)
        {
            throw new ArgumentException($"calibration needs as many labels as probabilities, at least one ({labels.Count} and {probabilities.Count})");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double[] edges;
        if (binning == CalibrationBinning.EqualWidth)
        {
            edges = Enumerable.Range(0, bins + 1).Select(i => (double)i / bins).ToArray();
        }
        else
        {
            var sorted = probabilities.Order().ToList();
            edges = Enumerable.Range(0, bins + 1).Select(i => Profiles.Quantiles.Of(sorted, (double)i / bins)).ToArray();
            edges[0] = 0;
            edges[^1] = 1;
        }
        var count = new long[bins];
        var predicted = new double[bins];
        var observed = new double[bins];
        for (var i = 0; i < labels.Count; i++)
        {
            var bin = BinOf(edges, probabilities[i]);
            count[bin]++;
            predicted[bin] += probabilities[i];
            observed[bin] += labels[i] ? 1 : 0;
        }
        var result = new List<CalibrationBin>(bins);
        double error = 0;
        for (var b = 0; b < bins; b++)
        {
            if (count[b] == 0)
            {
                result.Add(new CalibrationBin(edges[b], edges[b + 1], 0, 0, 0));
                continue;
            }
            var meanPredicted = predicted[b] / count[b];
            var rate = observed[b] / count[b];
            error += (double)count[b] / labels.Count * Math.Abs(meanPredicted - rate);
            result.Add(new CalibrationBin(edges[b], edges[b + 1], count[b], meanPredicted, rate));
        }
        return new CalibrationCurve(binning, result, error);
    }

    // Bin b is [edge b, edge b+1), the last one closed; quantile edges may repeat, the first matching bin wins.
    private static int BinOf(double[] edges, double p)
    {
        for (var b = 0; b < edges.Length - 2; b++)
        {
            if (p < edges[b + 1])
            {
                return b;
            }
        }
        return edges.Length - 2;
    }
}
