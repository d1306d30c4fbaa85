using CreditRisk.Benchmarking;

namespace CreditRisk.Scoring.Bench;

/// <summary>What one run of the bench measures; the defaults are the scenarios.</summary>
public sealed record BenchOptions
{
    /// <summary>The scoring service, grpc://host:port; "none" runs the baseline only.</summary>
    public string Target { get; init; } = "grpc://127.0.0.1:5051";

    public string? ApiKey { get; init; }

    public string ModelName { get; init; } = "";

    public string File { get; init; } = "/work/shared/datasets/credit_data.csv";

    public int Seed { get; init; } = 42;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16, 64];

    public double Rate { get; init; } = 2_000;

    /// <summary>The python with grpcio and scikit-learn (Debian's); null skips the baseline.</summary>
    public string? Python { get; init; } = DebianPython.Path;

    public bool HasTarget => !string.Equals(Target, "none", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<Scenario> Scenarios() =>
        [.. Concurrency.Where(callers => callers > 0).Select(Scenario.ClosedLoop), .. Rate > 0 ? [Scenario.OpenLoop(Rate)] : Array.Empty<Scenario>()];
}
