using System.Globalization;
using System.Text;

namespace CreditRisk.Training.Bench;

/// <summary>
/// A seeded, credit_data-shaped CSV (the same columns and label values): numeric columns in the file's ranges with
/// some missing, its categories in roughly its shares, and a label drawn from a logistic function of a few features
/// plus noise, its intercept set so about 28% of rows are bad.
/// </summary>
public static class SyntheticCreditData
{
    private const double PositiveShare = 0.28;

    private static readonly (string Value, double Weight)[] Homes =
        [("owner", 0.47), ("rent", 0.22), ("parents", 0.17), ("other", 0.07), ("priv", 0.06), ("ignore", 0.01)];

    private static readonly (string Value, double Weight)[] Maritals =
        [("married", 0.73), ("single", 0.22), ("separated", 0.03), ("widow", 0.015), ("divorced", 0.005)];

    private static readonly (string Value, double Weight)[] Jobs =
        [("fixed", 0.63), ("freelance", 0.23), ("partime", 0.10), ("others", 0.04)];

    private static readonly (string Value, double Weight)[] Terms =
        [("60", 0.44), ("36", 0.19), ("48", 0.17), ("24", 0.12), ("12", 0.08)];

    public static void Write(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var records = new List<string[]>(rows);
        var scores = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var age = Math.Round(Math.Clamp(Normal(random, 37, 11), 18, 68));
            var seniority = Math.Round(Math.Min(age - 18, -8 * Math.Log(1 - random.NextDouble())));
            var home = Pick(random, Homes);
            var time = Pick(random, Terms);
            var marital = random.NextDouble() < 0.001 ? null : Pick(random, Maritals);
            var priorRecords = random.NextDouble() < 0.17 ? "yes" : "no";
            var job = random.NextDouble() < 0.001 ? null : Pick(random, Jobs);
            var expenses = Math.Round(Math.Clamp(Normal(random, 55, 19), 35, 180));
            double? income = random.NextDouble() < 0.08 ? null : Math.Round(Math.Clamp(125 * Math.Exp(Normal(random, 0, 0.45)), 6, 960));
            double? assets = random.NextDouble() < 0.01 ? null
                : random.NextDouble() < 0.35 ? 0 : Math.Round(40 * Math.Exp(Normal(random, 0, 1))) * 100;
            double? debt = random.NextDouble() < 0.004 ? null
                : random.NextDouble() < 0.8 ? 0 : Math.Round(100 * Math.Exp(Normal(random, 0, 0.8))) * 10;
            var amount = Math.Round(Math.Clamp(Normal(random, 1040, 470), 100, 5000) / 50) * 50;
            var price = Math.Round(amount * (1.1 + 1.4 * random.NextDouble()));

            // The risk drivers: prior records, short employment, part-time or freelance work, low or unknown
            // income, a high loan-to-price ratio, renting and a long term.
            scores[i] =
                1.8 * (priorRecords == "yes" ? 1 : 0)
                - 0.1 * seniority
                + (job == "partime" ? 1.3 : job == "freelance" ? 0.7 : 0)
                + (income is { } known ? -1.0 * Math.Log(known / 125) : 0.8)
                + 2.0 * (amount / price)
                + (home == "rent" ? 0.5 : home == "owner" ? -0.4 : 0)
                + 0.03 * (double.Parse(time, CultureInfo.InvariantCulture) - 45)
                - 0.08 * Math.Log(1 + (assets ?? 0)) / Math.Log(10)
                + Normal(random, 0, 0.5);
            records.Add([
                "", Number(seniority), Quote(home), time, Number(age), Quote(marital), Quote(priorRecords), Quote(job),
                Number(expenses), Number(income), Number(assets), Number(debt), Number(amount), Number(price),
            ]);
        }

        var intercept = InterceptFor(scores, PositiveShare);
        var text = new StringBuilder();
        text.AppendLine("\"Status\",\"Seniority\",\"Home\",\"Time\",\"Age\",\"Marital\",\"Records\",\"Job\",\"Expenses\",\"Income\",\"Assets\",\"Debt\",\"Amount\",\"Price\"");
        for (var i = 0; i < rows; i++)
        {
            records[i][0] = random.NextDouble() < Sigmoid(intercept + scores[i]) ? "\"bad\"" : "\"good\"";
            text.AppendJoin(',', records[i]).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The intercept whose mean sigmoid over the scores is the share, by bisection (the mean rises with it).</summary>
    private static double InterceptFor(double[] scores, double share)
    {
        double low = -20, high = 20;
        for (var step = 0; step < 60; step++)
        {
            var middle = (low + high) / 2;
            if (scores.Average(score => Sigmoid(middle + score)) < share)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Normal(Random random, double mean, double deviation) =>
        mean + deviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Pick(Random random, (string Value, double Weight)[] choices)
    {
        var draw = random.NextDouble() * choices.Sum(choice => choice.Weight);
        foreach (var (value, weight) in choices)
        {
            draw -= weight;
            if (draw < 0)
            {
                return value;
            }
        }
        return choices[^1].Value;
    }

    private static string Quote(string? value) => value is null ? "" : $"\"{value}\"";

    private static string Number(double? value) => value is { } number ? number.ToString(CultureInfo.InvariantCulture) : "";
}
