using CreditRisk.FeatureStore;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// Training sets of the credit_default_application service made up in memory, with a label that depends on the
/// features; <paramref name="noise"/> of the rows before the out-of-time slice get a random label, the slice never does.
/// </summary>
public static class SyntheticTrainingSets
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Jobs = ["fixed", "freelance", "part_time", "others"];
    private static readonly string[] Homes = ["rent", "owner", "parents", "other"];

    public static TrainingSet Application(int rows, int seed, double noise = 0, double outOfTimeFraction = 0.2)
    {
        var service = FeatureRegistry.CreditDefaultApplicationV1;
        var features = FeatureRegistry.Resolve(FeatureSelection.Service(service.Name, service.Version))
            .Select(feature => new TrainingSetFeature(feature.Name, feature.Definition.ValueType.ToString().ToLowerInvariant(),
                TrainingSetFeature.KindOf(feature.Definition.ValueType.ToString().ToLowerInvariant()))).ToList();
        var random = new Random(seed);
        var labelNoise = new Random(seed + 1_000);
        var earlierRows = rows - (int)Math.Round(rows * outOfTimeFraction);
        var result = new List<TrainingSetRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var amount = 500 + random.Next(4_000);
            var term = 12 + 12 * random.Next(5);
            double? income = random.NextDouble() < 0.1 ? null : 800 + random.Next(3_000);
            var expenses = 300 + random.Next(700);
            var age = 20 + random.Next(45);
            var seniority = random.Next(Math.Max(1, age - 18));
            var job = Jobs[random.Next(Jobs.Length)];
            var home = Homes[random.Next(Homes.Length)];
            var records = random.NextDouble() < 0.15;
            var risk = -1.0 + 2.5 * ( 0.0004 * (amount - 2_000) - 0.0008 * ((income ?? 1_500) - 1_500) + (records ? 1.6 : 0) + (job == "part_time" ? 0.8 : 0)
                - 0.04 * seniority + (home == "rent" ? 0.4 : 0) - 0.2);
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-risk)) ? 1 : 0;
            var noisy = labelNoise.NextDouble() < noise;
            var randomLabel = labelNoise.Next(2);
            if (i < earlierRows && noisy)
            {
                label = randomLabel;
            }
            var values = new Dictionary<string, object?>
            {
                ["amount"] = (double)amount, ["term"] = (long)term, ["price"] = amount * 1.3, ["income"] = income, ["expenses"] = (double)expenses,
                ["assets"] = (double)random.Next(10_000), ["debt"] = random.NextDouble() < 0.3 ? null : (double)random.Next(2_000),
                ["age"] = (long)age, ["seniority"] = (long)seniority, ["home"] = home, ["marital"] = random.Next(2) == 0 ? "single" : "married",
                ["job"] = job, ["records"] = records, ["loan_to_price"] = 1 / 1.3, ["debt_to_income"] = income is { } inc ? 300 / inc : null,
                ["payment_to_income"] = income is { } monthly ? (double)amount / term / monthly : null,
                ["disposable_income"] = income is { } left ? left - expenses : null,
            };
            var time = Start.AddHours(i * 3);
            result.Add(new TrainingSetRow(
                $"A-{i:D5}", $"C-{i:D5}", time, label, time.AddDays(60),
                features.Select(feature => values[feature.Name.Split(':')[1]]).ToList(),
                features.Select(_ => (DateTimeOffset?)time).ToList()));
        }
        return new TrainingSet(service.Name, service.Version, Start.AddYears(1), features, result);
    }
}
