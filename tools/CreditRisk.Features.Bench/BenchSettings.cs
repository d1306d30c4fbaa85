using System.CommandLine;

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

    /// <summary>The command line: every option sets one setting and defaults to it; runs <paramref name="run"/> with the settings.</summary>
    public static RootCommand Command(Func<BenchSettings, Task<int>> run)
    {
        var defaults = new BenchSettings();
        Option<int> Int(string name, string description, int value) => new(name) { Description = description, DefaultValueFactory = _ => value };
        var events = Int("--events", "measured raw events", defaults.Events);
        var warmupEvents = Int("--warmup-events", "raw events drained before the measured ones", defaults.WarmupEvents);
        var customers = Int("--customers", "customers the events are spread over", defaults.Customers);
        var spanDays = Int("--span-days", "days of event time", (int)defaults.EventSpan.TotalDays);
        var latenessHours = Int("--lateness-hours", "the processor's allowed lateness", (int)defaults.AllowedLateness.TotalHours);
        var batch = Int("--batch", "records per processor batch", defaults.BatchRecords);
        var batchDelay = Int("--batch-delay-ms", "longest wait for a batch to fill", defaults.BatchDelayMs);
        var reads = Int("--reads", "timed GetOnlineFeatures calls of one row", defaults.ReadCallsSingle);
        var reads100 = Int("--reads-100", "timed GetOnlineFeatures calls of 100 rows", defaults.ReadCallsHundred);
        var historicalRows = Int("--historical-rows", "entity rows of the GetHistoricalFeatures run (0: none)", defaults.HistoricalRows);
        var allocations = new Option<bool>("--allocations") { Description = "sample allocations after the warm-up" };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "a broker to use (host:port); without it one is started in-process" };
        var postgres = new Option<string>("--postgres") { Description = "PostgreSQL server (default: ConnectionStrings__Postgres or the local one)", DefaultValueFactory = _ => defaults.Postgres };
        var redis = new Option<string>("--redis") { Description = "Redis (default: Redis__Configuration or the local one)", DefaultValueFactory = _ => defaults.Redis };
        var command = new RootCommand("Raw events to Redis + PostgreSQL throughput of the features service, and its read latency over gRPC.")
        {
            events, warmupEvents, customers, spanDays, latenessHours, batch, batchDelay, reads, reads100, historicalRows, allocations, bootstrap, postgres, redis,
        };
        command.SetAction((parsed, _) => run(new BenchSettings
        {
            Events = parsed.GetValue(events),
            WarmupEvents = parsed.GetValue(warmupEvents),
            Customers = parsed.GetValue(customers),
            EventSpan = TimeSpan.FromDays(parsed.GetValue(spanDays)),
            AllowedLateness = TimeSpan.FromHours(parsed.GetValue(latenessHours)),
            BatchRecords = parsed.GetValue(batch),
            BatchDelayMs = parsed.GetValue(batchDelay),
            ReadCallsSingle = parsed.GetValue(reads),
            ReadCallsHundred = parsed.GetValue(reads100),
            HistoricalRows = parsed.GetValue(historicalRows),
            SampleAllocations = parsed.GetValue(allocations),
            Bootstrap = parsed.GetValue(bootstrap),
            Postgres = parsed.GetValue(postgres)!,
            Redis = parsed.GetValue(redis)!,
        }));
        return command;
    }
}
