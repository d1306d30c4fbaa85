using System.Globalization;
using System.Text;

namespace CreditRisk.Modeling.Tests;

/// <summary>A small credit-shaped CSV whose label depends on its columns, with missing values and quoting.</summary>
internal static class SyntheticCreditData
{
    public static readonly string[] Homes = ["rent", "owner", "parents", "other, unknown"];

    public static string Csv(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("Status,Age,Income,Home,Records\n");
        for (var i = 0; i < rows; i++)
        {
            var age = 20 + random.Next(50);
            double? income = random.NextDouble() < 0.1 ? null : Math.Round(50 + random.NextDouble() * 200, 1);
            var home = Homes[random.Next(Homes.Length)];
            var records = random.NextDouble() < 0.2 ? "yes" : "no";
            var risk = -1.0 - 0.03 * (age - 40) - 0.01 * ((income ?? 120) - 120) + (home == "rent" ? 0.8 : 0) + (records == "yes" ? 1.5 : 0);
            var bad = random.NextDouble() < 1 / (1 + Math.Exp(-risk));
            csv.Append(CultureInfo.InvariantCulture,
                $"\"{(bad ? "bad" : "good")}\",{age},{income?.ToString(CultureInfo.InvariantCulture)},\"{home}\",{records}\n");
        }
        return csv.ToString();
    }

    public static string WriteFile(int rows, int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"creditrisk-modeling-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, Csv(rows, seed));
        return path;
    }
}
