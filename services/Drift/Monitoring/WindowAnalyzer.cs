using System.Runtime.InteropServices;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;
using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Runs a window's tests against a model version's reference: each feature's and the prediction's drift (Evidently's
/// default methods unless configured), data quality per feature, and performance over the predictions with outcomes.
/// A prediction whose features do not match the reference's schema is left out and counted.
/// </summary>
public sealed class WindowAnalyzer(DriftOptions options, int calibrationBins = CalibrationCurve.DefaultBins, double? performanceDrop = null)
{
    private const int MaxNewCategoriesListed = 20;
    private const int MaxMismatchReasons = 5;

    public static WindowAnalyzer From(DriftMonitorOptions monitor)
    {
        var columns = new Dictionary<string, ColumnDriftOptions>(StringComparer.Ordinal);
        foreach (var (name, test) in monitor.Features)
        {
            DriftMethod? method = null;
            if (test.Method is { Length: > 0 } text)
            {
                method = DriftMethods.TryParse(text, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"{DriftMonitorOptions.SectionName}:Features:{name}:Method '{text}' is not ks, chisquare, z, wasserstein, jensenshannon, psi or kl");
            }
            columns[name] = new ColumnDriftOptions(method, test.Threshold);
        }
        var options = new DriftOptions { Columns = columns, DriftShareThreshold = monitor.DriftShareThreshold };
        return new WindowAnalyzer(options, monitor.CalibrationBins, monitor.Alerts.PerformanceDrop);
    }

    public DriftOptions Options { get; } = options;

    public WindowAnalysis Analyze(ReferenceData reference, IReadOnlyList<WindowPrediction> window)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        var features = reference.Features;
        var numeric = features.Select(f => f.Kind == ColumnKind.Numeric ? new List<double>(window.Count) : null).ToArray();
        var text = features.Select(f => f.Kind == ColumnKind.Categorical ? new List<string?>(window.Count) : null).ToArray();
        var counters = new QualityCounters[features.Count];
        for (var f = 0; f < counters.Length; f++) counters[f] = new QualityCounters();
        var scores = new List<double>(window.Count);
        var labels = new List<bool>();
        var labelledScores = new List<double>();
        long mismatches = 0;
        var reasons = new List<string>();
        var slots = new int[features.Count];

        foreach (var row in window)
        {
            var prediction = row.Prediction;
            if (Match(reference, prediction, slots) is { } reason)
            {
                mismatches++;
                if (reasons.Count < MaxMismatchReasons) reasons.Add($"{prediction.PredictionId}: {reason}");
                continue;
            }
            for (var f = 0; f < features.Count; f++)
            {
                var slot = slots[f];
                var value = prediction.Features[slot].Value;
                var status = slot < prediction.FeatureStatuses.Count ? prediction.FeatureStatuses[slot] : FeatureStatus.Unspecified;
                counters[f].Observe(features[f], value, status);
                if (numeric[f] is { } values) values.Add(NumberOf(value));
                else text[f]!.Add(value?.KindCase == FeatureValue.KindOneofCase.StringValue ? value.StringValue : null);
            }
            scores.Add(prediction.DefaultProbability);
            if (row.Defaulted is { } defaulted)
            {
                labels.Add(defaulted);
                labelledScores.Add(prediction.DefaultProbability);
            }
        }

        var current = new ColumnSample[features.Count];
        for (var f = 0; f < features.Count; f++)
        {
            current[f] = numeric[f] is { } values ? ColumnSample.Numeric(features[f].Name, [.. values]) : ColumnSample.Categorical(features[f].Name, text[f]!);
        }
        var drift = DriftDetector.Compare(features.Select(f => f.Sample).ToArray(), current, Options);
        var predictionDrift = DriftDetector.CompareColumn(reference.Scores, ColumnSample.Numeric(ReferenceData.PredictionColumn, [.. scores]), Options);
        var quality = features.Select((feature, f) => counters[f].ToQuality(feature.Name)).ToArray();
        return new WindowAnalysis(drift, predictionDrift, quality, Performance(reference, labels, labelledScores, scores.Count), scores.Count, mismatches, reasons);
    }

    /// <summary>Null when no prediction of the window has an outcome yet.</summary>
    private WindowPerformance? Performance(ReferenceData reference, List<bool> labels, List<double> scores, long sampleSize)
    {
        if (labels.Count == 0) return null;
        var defaulted = labels.LongCount(label => label);
        var performance = new WindowPerformance
        {
            Labelled = labels.Count,
            LabelledShare = sampleSize == 0 ? 0 : (double)labels.Count / sampleSize,
            Defaulted = defaulted,
            RocAuc = double.NaN,
            Ks = double.NaN,
            ReferenceRocAuc = reference.RocAuc,
        };
        if (defaulted > 0 && defaulted < labels.Count)
        {
            performance.RocAuc = RocAucScore.Compute(labels, scores);
            performance.Ks = BinaryMetrics.KolmogorovSmirnov(labels, scores);
            performance.PerformanceDrop = performanceDrop is { } drop && double.IsFinite(reference.RocAuc) && reference.RocAuc - performance.RocAuc >= drop;
        }
        var calibration = CalibrationCurve.Compute(labels, scores, calibrationBins);
        performance.ExpectedCalibrationError = calibration.ExpectedCalibrationError;
        foreach (var bin in calibration.Bins)
        {
            performance.Calibration.Add(new CalibrationBucket
            {
                Lower = bin.Lower, Upper = bin.Upper, Count = bin.Count, MeanPredicted = bin.MeanPredicted, ObservedRate = bin.ObservedRate,
            });
        }
        return performance;
    }

    /// <summary>Null when every reference feature is in the prediction with a value of its kind; the reason otherwise.</summary>
    private static string? Match(ReferenceData reference, PredictionLogged prediction, int[] slots)
    {
        Array.Fill(slots, -1);
        for (var i = 0; i < prediction.Features.Count; i++)
        {
            var feature = prediction.Features[i];
            if (!reference.IndexOf.TryGetValue(feature.Name, out var index)) continue;
            var known = reference.Features[index];
            if (feature.Value is { } value && value.KindCase != FeatureValue.KindOneofCase.None)
            {
                var isText = value.KindCase == FeatureValue.KindOneofCase.StringValue;
                if (isText != (known.Kind == ColumnKind.Categorical))
                {
                    return $"feature '{feature.Name}' is {(isText ? "text" : "a number")}, the reference's is {(isText ? "numeric" : "categorical")}";
                }
            }
            slots[index] = i;
        }
        var absent = Array.IndexOf(slots, -1);
        return absent < 0 ? null : $"feature '{reference.Features[absent].Name}' of the reference is absent";
    }

    private static double NumberOf(FeatureValue? value) => value?.KindCase switch
    {
        FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue,
        FeatureValue.KindOneofCase.Int64Value => value.Int64Value,
        FeatureValue.KindOneofCase.BoolValue => value.BoolValue ? 1 : 0,
        _ => double.NaN,
    };

    private sealed class QualityCounters
    {
        private long _rows, _missing, _outOfRange, _newCategory, _notFound, _outsideTtl;
        private readonly Dictionary<string, long> _newCategories = new(StringComparer.Ordinal);

        public void Observe(ReferenceFeature feature, FeatureValue? value, FeatureStatus status)
        {
            _rows++;
            if (status == FeatureStatus.NotFound) _notFound++;
            else if (status == FeatureStatus.OutsideTtl) _outsideTtl++;
            if (value is null || value.KindCase == FeatureValue.KindOneofCase.None
                || (value.KindCase == FeatureValue.KindOneofCase.StringValue && value.StringValue.Length == 0))
            {
                _missing++;
                return;
            }
            if (feature.Kind == ColumnKind.Numeric)
            {
                var number = NumberOf(value);
                if (!double.IsFinite(number)) _missing++;
                else if (number < feature.Minimum || number > feature.Maximum) _outOfRange++;
            }
            else if (!feature.Categories.Contains(value.StringValue))
            {
                _newCategory++;
                CollectionsMarshal.GetValueRefOrAddDefault(_newCategories, value.StringValue, out _)++;
            }
        }

        public FeatureQuality ToQuality(string name)
        {
            var quality = new FeatureQuality
            {
                Feature = name,
                MissingShare = Share(_missing),
                OutOfRangeShare = Share(_outOfRange),
                NewCategoryShare = Share(_newCategory),
                NotFoundShare = Share(_notFound),
                OutsideTtlShare = Share(_outsideTtl),
            };
            quality.NewCategories.AddRange(_newCategories.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Take(MaxNewCategoriesListed).Select(pair => pair.Key));
            return quality;
        }

        private double Share(long count) => _rows == 0 ? 0 : (double)count / _rows;
    }
}
