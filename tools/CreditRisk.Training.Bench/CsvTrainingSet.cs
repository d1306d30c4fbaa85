using CreditRisk.Contracts.Common.V1;
using CreditRisk.DataImport;
using CreditRisk.FeatureStore;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench;

/// <summary>
/// What build_training_set produces for a credit_data-shaped CSV once it is imported: each row becomes the importer's
/// LoanApplication (<see cref="CreditDataMapper"/>) at the importer's seeded time over <see cref="ApplicationMonths"/>
/// months with its outcome known 6–12 months later (<see cref="ApplicationSynthesiser"/>), and its features are the
/// application view as the features service computes them (<see cref="ApplicationFeatures.Compute"/>), in the order and
/// with the types of the feature service <c>credit_default_application</c> v1, each recorded at its application's time.
/// </summary>
public static class CsvTrainingSet
{
    public const int ApplicationMonths = 24;

    /// <summary>The import's "now" and the run's cut-off: fixed, so the same file always gives the same set.</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FeatureService Service => FeatureRegistry.CreditDefaultApplicationV1;

    /// <summary>The training set of <paramref name="csv"/>; rows the importer would skip (a required value missing, no outcome) are left out.</summary>
    public static TrainingSet Read(string csv, int seed)
    {
        var settings = new SynthesisSettings { Seed = seed, AsOf = AsOf, ApplicationMonths = ApplicationMonths };
        var synthesiser = new ApplicationSynthesiser(settings);
        var resolved = FeatureRegistry.Resolve(FeatureSelection.Service(Service.Name, Service.Version));
        var columns = resolved.Select(feature =>
        {
            var type = feature.Definition.ValueType.ToString().ToLowerInvariant();
            return new TrainingSetFeature(feature.Name, type, TrainingSetFeature.KindOf(type));
        }).ToList();

        var rows = new List<TrainingSetRow>();
        foreach (var row in CreditDataCsvReader.ReadFile(csv))
        {
            if (CreditDataMapper.ToApplication(row, out _) is not { } application)
            {
                continue;
            }
            var (submitted, outcome) = synthesiser.Synthesise(row, application);
            if (outcome is null)
            {
                continue;
            }
            var applicationTime = submitted.Envelope.EventTime.ToDateTimeOffset();
            var features = ApplicationFeatures.Compute(application);
            rows.Add(new TrainingSetRow(
                submitted.ApplicationId,
                submitted.CustomerId,
                applicationTime,
                outcome.Outcome == CreditRisk.Contracts.Events.V1.LoanOutcome.Defaulted ? 1 : 0,
                outcome.Envelope.EventTime.ToDateTimeOffset(),
                resolved.Select(feature => Plain(features[feature.Definition.Name])).ToList(),
                resolved.Select(_ => (DateTimeOffset?)applicationTime).ToList()));
        }
        // build_training_set's order: by application time, then id.
        rows.Sort((a, b) => a.ApplicationTime != b.ApplicationTime
            ? a.ApplicationTime.CompareTo(b.ApplicationTime)
            : string.CompareOrdinal(a.ApplicationId, b.ApplicationId));
        return new TrainingSet(Service.Name, Service.Version, AsOf, columns, rows);
    }

    /// <summary>A feature value as the training set holds it (the features service's gRPC value, unwrapped).</summary>
    private static object? Plain(FeatureValue value) => value.KindCase switch
    {
        FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue,
        FeatureValue.KindOneofCase.Int64Value => value.Int64Value,
        FeatureValue.KindOneofCase.StringValue => value.StringValue,
        FeatureValue.KindOneofCase.BoolValue => value.BoolValue,
        _ => null,
    };
}
