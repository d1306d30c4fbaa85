using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using CreditRisk.Contracts.Common.V1;
using Npgsql;

namespace CreditRisk.FeatureStore.Bench;

internal static class OfflineBenchmark
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Days = 180;

    public static async Task RunAsync(NpgsqlDataSource dataSource, BenchOptions options)
    {
        var store = new PostgresOfflineStore(dataSource);
        await store.MigrateAsync();
        Console.WriteLine("Offline store (PostgreSQL, through the library):");

        // History: per customer 5 transaction, 3 repayment and 2 application-velocity vectors over 180 days.
        var customers = options.Customers;
        long appended = 0;
        var timer = Stopwatch.StartNew();
        foreach (var batch in History(customers).Chunk(10_000))
        {
            appended += await store.AppendAsync(batch);
        }
        timer.Stop();
        Print($"append {appended:N0} rows, batches of 10,000 (COPY path)", appended, timer.Elapsed);

        var small = History(customers, eventPrefix: "small").Take(20_000).ToArray();
        timer.Restart();
        foreach (var batch in small.Chunk(100))
        {
            await store.AppendAsync(batch);
        }
        timer.Stop();
        Print("append 20,000 rows, batches of 100 (INSERT path)", small.Length, timer.Elapsed);

        var replay = History(customers).Take(100_000).ToArray();
        timer.Restart();
        long replayed = 0;
        foreach (var batch in replay.Chunk(10_000))
        {
            replayed += await store.AppendAsync(batch);
        }
        timer.Stop();
        Print($"replay 100,000 stored rows (idempotent, {replayed} inserted)", replay.Length, timer.Elapsed);

        await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE feature_store.feature_rows"))
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        var features = FeatureRegistry.Resolve(FeatureSelection.Service("credit_default"))
            .Where(feature => feature.View.Entity == Entities.Customer).ToArray();
        foreach (var excludeBackfilled in new[] { false, true })
        {
            long rows = 0, withValues = 0;
            var firstRow = TimeSpan.Zero;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            timer.Restart();
            await foreach (var row in store.GetHistoricalFeaturesAsync(
                EntityRows(options.HistoricalRows, customers), features, new HistoricalRetrievalOptions { ExcludeBackfilled = excludeBackfilled }))
            {
                if (rows++ == 0)
                {
                    firstRow = timer.Elapsed;
                }
                if (row.Features[0].EventTime is not null)
                {
                    withValues++;
                }
            }
            timer.Stop();
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            if (rows != options.HistoricalRows)
            {
                throw new InvalidOperationException($"Expected {options.HistoricalRows} rows, got {rows}.");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  historical retrieval, {rows:N0} entity rows × {features.Length} features (3 views{(excludeBackfilled ? ", exclude_backfilled" : "")}): {timer.Elapsed.TotalSeconds:F1} s, {rows / timer.Elapsed.TotalSeconds:N0} rows/s, first row after {firstRow.TotalSeconds:F1} s, {100.0 * withValues / rows:F0}% rows with a transactions value, client CPU {clientCpu.TotalSeconds:F1} s"));
        }
    }

    private static void Print(string what, long rows, TimeSpan elapsed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {elapsed.TotalSeconds:F1} s, {rows / elapsed.TotalSeconds:N0} rows/s"));

    private static IEnumerable<FeatureRow> History(int customers, string eventPrefix = "e")
    {
        var random = new Random(11);
        var transactions = FeatureRegistry.CustomerTransactionsV1;
        var repayments = FeatureRegistry.CustomerRepaymentsV1;
        var applications = FeatureRegistry.CustomerApplicationsV1;
        for (var c = 0; c < customers; c++)
        {
            var entity = new EntityKey { Entity = "customer", Id = $"C-{c}" };
            for (var i = 0; i < 10; i++)
            {
                var view = i < 5 ? transactions : i < 8 ? repayments : applications;
                var eventTime = Start.AddMinutes(random.Next(Days * 24 * 60));
                var values = view.Features.ToDictionary(
                    feature => feature.Name,
                    feature => feature.ValueType == FeatureValueType.Int64 ? FeatureValues.Of((long)random.Next(50)) : FeatureValues.Of(Math.Round(random.NextDouble() * 1000, 2)));
                yield return new FeatureRow(entity, view.Name, view.Version, values, eventTime, eventTime.AddSeconds(random.Next(1, 3600)), $"{eventPrefix}-{c}-{i}");
            }
        }
    }

    private static async IAsyncEnumerable<HistoricalEntityRow> EntityRows(int count, int customers, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var random = new Random(5);
        for (var i = 0; i < count; i++)
        {
            yield return new HistoricalEntityRow(
                EntityRow.Of("customer", $"C-{random.Next(customers)}"),
                Start.AddMinutes(random.Next(Days * 24 * 60)),
                i.ToString(CultureInfo.InvariantCulture));
        }
        await Task.CompletedTask;
    }
}
