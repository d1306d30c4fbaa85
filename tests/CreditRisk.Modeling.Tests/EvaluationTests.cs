using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Tests;

public sealed class EvaluationTests
{
    [Fact]
    public void Calibration_bins_and_the_expected_calibration_error_on_a_worked_case()
    {
        bool[] labels = [false, true, false, false, true, true];
        double[] probabilities = [0.05, 0.15, 0.12, 0.55, 0.95, 0.85];

        var curve = CalibrationCurve.Compute(labels, probabilities);

        Assert.Equal(10, curve.Bins.Count);
        var first = curve.Bins[0];
        Assert.Equal((0.0, 0.1, 1L), (first.Lower, first.Upper, first.Count));
        var second = curve.Bins[1];   // 0.15 (bad) and 0.12 (good)
        Assert.Equal(2, second.Count);
        Assert.Equal(0.135, second.MeanPredicted, 12);
        Assert.Equal(0.5, second.ObservedRate);
        Assert.Equal(1, curve.Bins[5].Count);
        Assert.Equal(0, curve.Bins[5].ObservedRate);
        Assert.Equal(1, curve.Bins[8].Count);
        Assert.Equal(1, curve.Bins[9].Count);
        // (1·0.05 + 2·|0.135−0.5| + 1·0.55 + 1·0.15 + 1·0.05) / 6
        Assert.Equal((0.05 + 2 * 0.365 + 0.55 + 0.15 + 0.05) / 6, curve.ExpectedCalibrationError, 12);
    }

    [Fact]
    public void A_probability_of_one_falls_in_the_last_bin_and_quantile_bins_hold_about_equal_counts()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i % 3 == 0).ToArray();
        var probabilities = Enumerable.Range(0, 100).Select(i => i / 99.0).ToArray();

        Assert.Equal(10, CalibrationCurve.Compute(labels, probabilities).Bins[9].Count);
        var quantile = CalibrationCurve.Compute(labels, probabilities, binning: CalibrationBinning.Quantile);
        Assert.All(quantile.Bins, bin => Assert.InRange(bin.Count, 9, 11));
        Assert.Equal(100, quantile.Bins.Sum(bin => bin.Count));
    }

    [Fact]
    public void The_confusion_matrix_counts_decisions_at_the_threshold()
    {
        bool[] labels = [true, true, false, false, true, false];
        double[] probabilities = [0.9, 0.4, 0.6, 0.1, 0.5, 0.5];

        var matrix = ConfusionMatrix.At(labels, probabilities, 0.5);

        Assert.Equal((2L, 2L, 1L, 1L), (matrix.TruePositives, matrix.FalsePositives, matrix.TrueNegatives, matrix.FalseNegatives));
        Assert.Equal(0.5, matrix.Precision);
        Assert.Equal(2.0 / 3, matrix.Recall, 12);
        Assert.Equal(1.0 / 3, matrix.Specificity, 12);
        Assert.Equal(0.5, matrix.Accuracy);
    }

    [Fact]
    public void The_default_threshold_is_where_ks_is_reached()
    {
        bool[] labels = [false, false, true, false, true, true];
        double[] probabilities = [0.1, 0.2, 0.3, 0.35, 0.6, 0.8];

        var threshold = DecisionThreshold.MaximizingKs(labels, probabilities);
        var matrix = ConfusionMatrix.At(labels, probabilities, threshold);

        Assert.Equal(0.3, threshold);
        Assert.Equal(BinaryMetrics.KolmogorovSmirnov(labels, probabilities), matrix.Recall - (1 - matrix.Specificity), 12);
    }

    [Fact]
    public void The_out_of_time_split_holds_out_the_latest_rows_ties_by_id_whatever_the_input_order()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset[] times = [t.AddDays(3), t, t.AddDays(9), t.AddDays(9), t.AddDays(5), t.AddDays(1), t.AddDays(7), t.AddDays(2), t.AddDays(8), t.AddDays(4)];
        string[] ids = ["d", "a", "k", "j", "f", "b", "g", "c", "h", "e"];

        var (earlier, latest) = OutOfTimeSplit.Split(times, ids, 0.3);

        Assert.Equal(["h", "j", "k"], latest.Select(i => ids[i]));
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], earlier.Select(i => ids[i]));
        var reversed = OutOfTimeSplit.Split(times.Reverse().ToArray(), ids.Reverse().ToArray(), 0.3);
        Assert.Equal(["h", "j", "k"], reversed.Latest.Select(i => ids.Reverse().ToArray()[i]));
        Assert.Equal(2, OutOfTimeSplit.Split(times, ids).Latest.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => OutOfTimeSplit.Split(times, ids, 1.0));
    }

    [Fact]
    public void Segment_auc_is_computed_within_each_value_and_a_one_class_segment_has_none()
    {
        bool[] labels = [true, false, true, false, true, true];
        double[] scores = [0.9, 0.1, 0.2, 0.8, 0.7, 0.6];
        string?[] jobs = ["fixed", "fixed", "freelance", "freelance", null, null];

        var segments = SegmentAuc.Compute("job", jobs, labels, scores);

        Assert.Equal([SegmentAuc.MissingSegment, "fixed", "freelance"], segments.Select(s => s.Segment));
        Assert.Null(segments[0].RocAuc);
        Assert.Equal(1, segments[1].RocAuc);
        Assert.Equal(0, segments[2].RocAuc);
    }
}
