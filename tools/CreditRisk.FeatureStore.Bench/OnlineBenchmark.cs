using System.Diagnostics;
using System.Globalization;
using CreditRisk.Contracts.Common.V1;
using StackExchange.Redis;

namespace CreditRisk.FeatureStore.Bench;

internal static class OnlineBenchmark
{
    // Feast's benchmark shape: 50 features per entity row. A synthetic 50-feature view (not registered: the store
    // takes resolved features, so any view definition works).
    private static readonly FeatureView Wide = new(
        "bench_wide", 1, Entities.Customer, SourceEvent.TransactionRecorded,
        Enumerable.Range(0, 50).Select(i => FeatureDefinition.Windowed($"f{i:D2}", FeatureValueType.Double, Aggregation.Sum, TimeSpan.FromDays(30), "bench")).ToArray(),
        TimeSpan.FromDays(30), "50 double features");

    public static async Task RunAsync(IConnectionMultiplexer redis, string prefix, BenchOptions options)
    {
        var store = new RedisOnlineStore(redis, new RedisOnlineStoreOptions { KeyPrefix = prefix });
        const int entities = 10_000;
        var now = DateTimeOffset.UtcNow;

        Console.WriteLine("Online store (Redis, through the library):");
        var rows = Enumerable.Range(0, entities).Select(i => new FeatureRow(
            new EntityKey { Entity = "customer", Id = $"C-{i}" }, Wide.Name, Wide.Version,
            Wide.Features.ToDictionary(feature => feature.Name, feature => FeatureValues.Of(i * 0.5 + feature.Name.Length)),
            now.AddSeconds(-i), now, $"e{i}")).ToArray();
        var write = Stopwatch.StartNew();
        for (var start = 0; start < rows.Length; start += 1_000)
        {
            await store.WriteAsync(rows[start..Math.Min(rows.Length, start + 1_000)]);
        }
        write.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  write 10,000 vectors × 50 features (batches of 1,000): {write.Elapsed.TotalSeconds:F2} s, {rows.Length / write.Elapsed.TotalSeconds:F0} vectors/s"));

        // Stream processor shape: 14 customer features over 3 views, one vector per event.
        var streamRows = Enumerable.Range(0, 20_000).Select(i => new FeatureRow(
            new EntityKey { Entity = "customer", Id = $"S-{i % 5_000}" }, "customer_transactions", 1,
            FeatureRegistry.CustomerTransactionsV1.Features.ToDictionary(feature => feature.Name, _ => FeatureValues.Of(1.0 * i)),
            now.AddSeconds(i), now.AddSeconds(i), $"s{i}")).ToArray();
        write.Restart();
        for (var start = 0; start < streamRows.Length; start += 500)
        {
            await store.WriteAsync(streamRows[start..Math.Min(streamRows.Length, start + 500)]);
        }
        write.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  write 20,000 customer_transactions vectors (batches of 500): {streamRows.Length / write.Elapsed.TotalSeconds:F0} vectors/s"));

        var wideFeatures = Wide.Features.Select(feature => new ResolvedFeature(Wide, feature)).ToArray();
        var random = new Random(1);
        var iterations = options.Quick ? 2_000 : 20_000;
        await Latency.MeasureAsync("read 1 entity × 50 features", 1_000, iterations, async () =>
        {
            var vectors = await store.ReadAsync([EntityRow.Of("customer", $"C-{random.Next(entities)}")], wideFeatures);
            Check(vectors, 50);
        });
        await Latency.MeasureAsync("read 100 entities × 50 features", 200, iterations / 10, async () =>
        {
            var request = Enumerable.Range(0, 100).Select(_ => EntityRow.Of("customer", $"C-{random.Next(entities)}")).ToArray();
            var vectors = await store.ReadAsync(request, wideFeatures);
            Check(vectors, 50);
        });
        var creditDefault = FeatureRegistry.Resolve(FeatureSelection.Service("credit_default"));
        await Latency.MeasureAsync($"read 1 row × credit_default ({creditDefault.Count} features, 4 views)", 1_000, iterations, async () =>
        {
            var i = random.Next(entities);
            await store.ReadAsync([new EntityRow(new EntityKey { Entity = "customer", Id = $"S-{i % 5_000}" }, new EntityKey { Entity = "application", Id = $"A-{i}" })], creditDefault);
        });
    }

    private static void Check(IReadOnlyList<OnlineFeatureVector> vectors, int features)
    {
        if (vectors.Any(vector => vector.Features.Count != features || vector.Features[0].Status != FeatureStatus.Present))
        {
            throw new InvalidOperationException("The benchmark read a vector that is not fully PRESENT.");
        }
    }
}
