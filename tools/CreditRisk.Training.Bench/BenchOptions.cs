using CreditRisk.Benchmarking;

namespace CreditRisk.Training.Bench;

public sealed class BenchOptions
{
    public string File { get; set; } = "data/credit_data.csv";

    public string Label { get; set; } = "Status";

    public string Positive { get; set; } = "bad";

    public int Folds { get; set; } = 5;

    public int Seed { get; set; } = 42;

    /// <summary>Search trials per candidate on the file; null is each candidate's own default, as train-csv.</summary>
    public int? Trials { get; set; }

    /// <summary>Rows of the synthetic set; 0 skips it.</summary>
    public int SyntheticRows { get; set; } = 100_000;

    /// <summary>Search trials per candidate on the synthetic set; one (the default point) keeps 100,000 rows within minutes on 2 cores.</summary>
    public int SyntheticTrials { get; set; } = 1;

    /// <summary>Sequential single-row predictions timed after the warm-up.</summary>
    public int SingleRows { get; set; } = 20_000;

    public string Python { get; set; } = DebianPython.Path;

    /// <summary>Whether the persisted training pipeline (engine, steps, a registry process) is timed on both sets.</summary>
    public bool Pipeline { get; set; } = true;

    /// <summary>A built CreditRisk.Registry.dll to start; null builds services/Registry from the repository into a scratch folder.</summary>
    public string? RegistryDll { get; set; }
}
