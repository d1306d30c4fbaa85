using System.Globalization;

namespace CreditRisk.Features.Bench;

/// <summary>Command-line options.</summary>
internal sealed record BenchSettings
{
    public int Events { get; init; } = 500_000;

    /// <summary>
    /// Events drained before the measured ones (published ahead of them, same customers): start-up, JIT compilation
    /// and tiering, the states' first loads. The sustained figure is of the events after them.
    /// </summary>
    public int WarmupEvents { get; init; } = 300_000;

    public int Customers { get; init; } = 20_000;
    public TimeSpan EventSpan { get; init; } = TimeSpan.FromDays(90);
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromDays(1);
    public int BatchRecords { get; init; } = 5_000;
    public int BatchDelayMs { get; init; } = 100;
    public int ReadCallsSingle { get; init; } = 5_000;
    public int ReadCallsHundred { get; init; } = 1_000;
    public int HistoricalRows { get; init; } = 1_000_000;
    public bool SampleAllocations { get; init; }
    public string? Bootstrap { get; init; }
    public string Postgres { get; init; } = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=5432;Username=creditrisk;Database=creditrisk";
    public string Redis { get; init; } = Environment.GetEnvironmentVariable("Redis__Configuration") ?? "127.0.0.1:6379";

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => args[++i];
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--events" => settings with { Events = Int() },
                "--warmup-events" => settings with { WarmupEvents = Int() },
                "--customers" => settings with { Customers = Int() },
                "--span-days" => settings with { EventSpan = TimeSpan.FromDays(Int()) },
                "--lateness-hours" => settings with { AllowedLateness = TimeSpan.FromHours(Int()) },
                "--batch" => settings with { BatchRecords = Int() },
                "--batch-delay-ms" => settings with { BatchDelayMs = Int() },
                "--reads" => settings with { ReadCallsSingle = Int() },
                "--reads-100" => settings with { ReadCallsHundred = Int() },
                "--historical-rows" => settings with { HistoricalRows = Int() },
                "--allocations" => settings with { SampleAllocations = true },
                "--bootstrap" => settings with { Bootstrap = Next() },
                "--postgres" => settings with { Postgres = Next() },
                "--redis" => settings with { Redis = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return settings;
    }
}
