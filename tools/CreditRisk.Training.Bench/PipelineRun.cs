using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Training;

namespace CreditRisk.Training.Bench;

/// <summary>One train-csv-equivalent run: the dataset, the folds it used, the report, and the time to read and to train.</summary>
public sealed record PipelineRun(
    string Name, string Csv, LabelledDataset Dataset, int[] FoldOfRow, TrainingReport Report, TimeSpan ReadTime, TimeSpan TrainTime)
{
    public TimeSpan Total => ReadTime + TrainTime;
}
