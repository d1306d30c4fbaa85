using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Training.Steps;

/// <summary>The training set split as every step splits it: the latest applications held out (oot_fraction), the rest trained on.</summary>
public sealed record OutOfTimeSlice(LabelledDataset All, IReadOnlyList<int> EarlierRows, IReadOnlyList<int> LatestRows)
{
    public LabelledDataset Earlier => All.Subset(EarlierRows);

    public LabelledDataset Latest => All.Subset(LatestRows);

    public static OutOfTimeSlice Of(TrainingSet set, double fraction)
    {
        ArgumentNullException.ThrowIfNull(set);
        var (earlier, latest) = OutOfTimeSplit.Split(
            set.Rows.Select(row => row.ApplicationTime).ToList(), set.Rows.Select(row => row.ApplicationId).ToList(), fraction);
        return new OutOfTimeSlice(set.ToDataset(), earlier, latest);
    }
}
