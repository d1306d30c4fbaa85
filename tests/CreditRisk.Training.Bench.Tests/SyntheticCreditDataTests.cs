using CreditRisk.Modeling.Data;

namespace CreditRisk.Training.Bench.Tests;

public sealed class SyntheticCreditDataTests
{
    private static readonly string CreditData = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public void The_same_seed_writes_the_same_file_and_another_seed_another()
    {
        var first = Write(2_000, seed: 7);
        var again = Write(2_000, seed: 7);
        var other = Write(2_000, seed: 8);
        try
        {
            Assert.Equal(File.ReadAllText(first), File.ReadAllText(again));
            Assert.NotEqual(File.ReadAllText(first), File.ReadAllText(other));
        }
        finally
        {
            File.Delete(first);
            File.Delete(again);
            File.Delete(other);
        }
    }

    [Fact]
    public void It_has_credit_data_s_columns_and_kinds_about_28_percent_bad_and_missing_values()
    {
        var path = Write(20_000, seed: 42);
        try
        {
            var synthetic = LabelledDataset.FromTable(TabularTable.ReadFile(path), "Status", "bad");
            var real = LabelledDataset.FromTable(TabularTable.ReadFile(CreditData), "Status", "bad");

            Assert.Equal(real.Features, synthetic.Features);
            Assert.InRange((double)synthetic.PositiveCount / synthetic.Count, 0.26, 0.30);
            var income = synthetic.Features.ToList().FindIndex(f => f.Name == "Income");
            Assert.Contains(synthetic.Values, row => row[income] is null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Write(int rows, int seed)
    {
        var path = Path.GetTempFileName();
        SyntheticCreditData.Write(path, rows, seed);
        return path;
    }
}
