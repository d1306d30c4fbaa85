using System.Globalization;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Pipelines;
using CreditRisk.Modeling.Training;
using CreditRisk.Scoring.Features;

namespace CreditRisk.Scoring.Tests.Support;

/// <summary>
/// Small real models of the credit_default feature service, trained once per test run with the modeling library on the
/// reference dataset's applications (application features computed as training computes them) and synthetic customer
/// behaviour that carries signal (late payments raise the risk). Two seeds give two models that score differently.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<IReadOnlyList<byte[]>> Trained = new(() => [Train(seed: 1), Train(seed: 7, shift: 1.5)]);

    public static FeatureService Service => FeatureRegistry.CreditDefaultV1;

    /// <summary>Model A's zip.</summary>
    public static byte[] ModelA => Trained.Value[0];

    /// <summary>Model B's zip: other weights, so its scores differ from A's.</summary>
    public static byte[] ModelB => Trained.Value[1];

    public static CreditRiskModel Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return CreditRiskModel.Load(stream);
    }

    private static byte[] Train(int seed, double shift = 0)
    {
        var resolved = FeatureRegistry.Resolve(FeatureSelection.Service(Service.Name, Service.Version));
        var columns = resolved.Select(feature => new FeatureColumn(feature.Name,
            feature.Definition.ValueType == FeatureValueType.String ? ColumnKind.Categorical : ColumnKind.Numeric)).ToList();
        var random = new Random(seed);
        var rows = new List<object?[]>();
        var labels = new List<bool>();
        foreach (var (application, bad) in Applications().Take(1200))
        {
            var customer = SyntheticCustomer(random, bad, shift);
            var computed = ApplicationFeatures.Compute(application);
            rows.Add([.. resolved.Select((feature, f) => ModelValues.Of(
                feature.View.Entity == Entities.Application ? computed[feature.Definition.Name] : customer.GetValueOrDefault(feature.Name),
                columns[f].Kind))]);
            labels.Add(bad);
        }
        var dataset = LabelledDataset.FromValues(columns, rows, labels, "defaulted", "1");
        var report = new CandidateTrainer(new TrainingSettings(Folds: 2, Seed: seed, Trials: 1), [new LogisticRegressionCandidate()]).Train(dataset);
        var signature = report.Model.Signature with
        {
            Inputs = [.. report.Model.Signature.Inputs.Select((input, f) => input with { Type = resolved[f].Definition.ValueType.ToString().ToLowerInvariant() })],
            FeatureService = Service.Name,
            FeatureServiceVersion = Service.Version,
        };
        return report.Model.WithSignature(signature).ToBytes();
    }

    /// <summary>Customer features for a training row: some customers have no history (all null, as a point-in-time join gives).</summary>
    private static Dictionary<string, FeatureValue> SyntheticCustomer(Random random, bool bad, double shift)
    {
        if (random.NextDouble() < 0.2)
        {
            return [];
        }
        var late = (long)Math.Max(0, Math.Round(random.NextDouble() * 3 + (bad ? 1.5 + shift : 0) - 1));
        return new Dictionary<string, FeatureValue>
        {
            ["customer_repayments:late_payments_90d"] = FeatureValues.Of(late),
            ["customer_repayments:late_payments_30d"] = FeatureValues.Of(Math.Min(late, 1L)),
            ["customer_repayments:on_time_ratio_90d"] = FeatureValues.Of(Math.Clamp(1 - late / 4.0, 0, 1)),
            ["customer_transactions:txn_count_30d"] = FeatureValues.Of((long)random.Next(0, 40)),
            ["customer_transactions:txn_sum_30d"] = FeatureValues.Of(random.NextDouble() * 2000 - (bad ? 800 : 200)),
            ["customer_applications:applications_30d"] = FeatureValues.Of((long)random.Next(1, bad ? 5 : 3)),
        };
    }

    /// <summary>
    /// Model inputs by name for the first <paramref name="count"/> applications of the dataset (application features
    /// computed as serving computes them) and synthetic customer values: what an inference client sends for a row.
    /// </summary>
    public static Dictionary<string, object?>[] SampleInputs(CreditRiskModel model, int count) =>
        [.. Applications().Take(count).Select((sample, i) =>
        {
            var computed = ApplicationFeatures.Compute(sample.Application);
            return model.Signature.Inputs.ToDictionary(input => input.Name, input => input.Name.StartsWith("application:", StringComparison.Ordinal)
                ? ModelValues.Of(computed[input.Name["application:".Length..]], input.Kind)
                : input.Kind == ColumnKind.Numeric ? (object?)(double)(i + 1) : null);
        })];

    /// <summary>The reference dataset's applications with their label (bad = defaulted).</summary>
    public static IEnumerable<(LoanApplication Application, bool Bad)> Applications()
    {
        var lines = File.ReadLines(DatasetPath()).Skip(1);
        foreach (var line in lines)
        {
            var cells = line.Split(',').Select(cell => cell.Trim('"')).ToArray();
            if (cells.Length < 14)
            {
                continue;
            }
            yield return (Application(cells), cells[0] == "bad");
        }
    }

    public static string DatasetPath() =>
        Environment.GetEnvironmentVariable("CREDITRISK_DATASET") is { Length: > 0 } path ? path : "/work/shared/datasets/credit_data.csv";

    // Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price; 99999999 marks a missing value.
    private static LoanApplication Application(string[] cells)
    {
        double? Number(int i) => double.TryParse(cells[i], CultureInfo.InvariantCulture, out var value) && value < 99_999_999 ? value : null;
        var application = new LoanApplication
        {
            SeniorityYears = (int)(Number(1) ?? 0),
            Home = cells[2] switch { "rent" => HomeOwnership.Rent, "owner" => HomeOwnership.Owner, "priv" => HomeOwnership.Private, "ignore" => HomeOwnership.Ignore, "parents" => HomeOwnership.Parents, "other" => HomeOwnership.Other, _ => HomeOwnership.Unspecified },
            TermMonths = (int)(Number(3) ?? 12),
            AgeYears = (int)(Number(4) ?? 30),
            Marital = cells[5] switch { "single" => MaritalStatus.Single, "married" => MaritalStatus.Married, "widow" => MaritalStatus.Widow, "separated" => MaritalStatus.Separated, "divorced" => MaritalStatus.Divorced, _ => MaritalStatus.Unspecified },
            HasPriorDefaultRecords = cells[6] == "yes",
            Job = cells[7] switch { "fixed" => JobType.Fixed, "freelance" => JobType.Freelance, "partime" => JobType.PartTime, "others" => JobType.Others, _ => JobType.Unspecified },
            Expenses = Number(8) ?? 0,
            Amount = Math.Max(1, Number(12) ?? 1),
            Price = Math.Max(1, Number(13) ?? 1),
        };
        if (Number(9) is { } income)
        {
            application.Income = income;
        }
        if (Number(10) is { } assets)
        {
            application.Assets = assets;
        }
        if (Number(11) is { } debt)
        {
            application.Debt = debt;
        }
        return application;
    }
}
