using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Profiles;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Drift.Tests.Support;

/// <summary>
/// credit_data as a model's world: 2,500 applications are the training reference (its profile, scored by a fixed
/// logistic rule), the others are what scoring serves afterwards, unshifted or shifted (incomes x 0.7, amounts x 1.4,
/// 30% of jobs a category training never saw), each with the outcome the data records.
/// </summary>
public sealed class CreditApplications
{
    public const int ReferenceRows = 2500;
    public const string NewJob = "gig";
    public static readonly string[] ShiftedFeatures = ["Income", "Amount", "Job"];

    private static readonly Lazy<CreditApplications> Instance = new(() => new CreditApplications(
        LabelledDataset.FromTable(TabularTable.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv")), "Status", "bad")));

    private readonly LabelledDataset _data;
    private readonly int[] _stream;

    private CreditApplications(LabelledDataset data)
    {
        _data = data;
        var rows = Enumerable.Range(0, data.Count).ToArray();
        new Random(20261202).Shuffle(rows);
        var reference = rows[..ReferenceRows];
        _stream = rows[ReferenceRows..];
        var subset = LabelledDataset.FromValues(data.Features, [.. reference.Select(r => data.Values[r])], [.. reference.Select(r => data.Labels[r])], "Status", "bad");
        Profile = ReferenceProfileBuilder.Build(subset, [.. subset.Values.Select(values => Score(data.Features, values))]);
    }

    public static CreditApplications Data => Instance.Value;

    public ReferenceProfile Profile { get; }

    public IReadOnlyList<FeatureColumn> Features => _data.Features;

    /// <summary>Rows available to stream; <see cref="Predictions"/> wraps around them.</summary>
    public int StreamRows => _stream.Length;

    /// <summary>
    /// <paramref name="count"/> served predictions of <paramref name="model"/> v<paramref name="version"/>, from stream row
    /// <paramref name="first"/> on, each with a fresh prediction id and an application id derived from <paramref name="tag"/>.
    /// </summary>
    public List<(PredictionLogged Prediction, bool Defaulted)> Predictions(string model, int version, int first, int count, bool shift, string tag,
        bool served = true)
    {
        var shiftRandom = new Random(first);
        var predictions = new List<(PredictionLogged, bool)>(count);
        for (var i = 0; i < count; i++)
        {
            var row = _stream[(first + i) % _stream.Length];
            var values = (object?[])_data.Values[row].Clone();
            if (shift)
            {
                Shift(values, shiftRandom);
            }
            var id = $"{tag}-{first + i}";
            var prediction = new PredictionLogged
            {
                Envelope = new EventEnvelope
                {
                    EventId = Guid.NewGuid().ToString(),
                    EntityKey = $"customer-{row}",
                    EventTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    RecordedTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    Source = "test",
                    SchemaVersion = 1,
                },
                PredictionId = Guid.NewGuid().ToString(),
                RequestId = $"request-{id}",
                ApplicationId = $"application-{id}",
                CustomerId = $"customer-{row}",
                ModelName = model,
                ModelVersion = version,
                Variant = served ? "champion" : "shadow",
                Served = served,
                DefaultProbability = Score(_data.Features, values),
                Decision = "REVIEW",
            };
            for (var f = 0; f < _data.Features.Count; f++)
            {
                var value = values[f] switch
                {
                    double number => new FeatureValue { DoubleValue = number },
                    string text => new FeatureValue { StringValue = text },
                    _ => null,
                };
                prediction.Features.Add(new Feature { Name = _data.Features[f].Name, Value = value });
                prediction.FeatureStatuses.Add(FeatureStatus.Present);
            }
            predictions.Add((prediction, _data.Labels[row]));
        }
        return predictions;
    }

    private void Shift(object?[] values, Random random)
    {
        for (var f = 0; f < _data.Features.Count; f++)
        {
            values[f] = (_data.Features[f].Name, values[f]) switch
            {
                ("Income", double income) => income * 0.7,
                ("Amount", double amount) => amount * 1.4,
                ("Job", string job) => random.NextDouble() < 0.3 ? NewJob : job,
                _ => values[f],
            };
        }
    }

    /// <summary>The "model": larger amounts, smaller incomes and earlier records raise the probability of default.</summary>
    private static double Score(IReadOnlyList<FeatureColumn> features, object?[] values)
    {
        double Number(string name) => values[Index(features, name)] is double value ? value : 0;
        var records = values[Index(features, "Records")] as string == "yes" ? 1.2 : 0;
        var logit = -2.2 + 0.0012 * Number("Amount") - 0.006 * Number("Income") + records;
        return 1 / (1 + Math.Exp(-logit));
    }

    private static int Index(IReadOnlyList<FeatureColumn> features, string name)
    {
        for (var f = 0; f < features.Count; f++)
            if (features[f].Name == name) return f;
        throw new KeyNotFoundException(name);
    }
}
