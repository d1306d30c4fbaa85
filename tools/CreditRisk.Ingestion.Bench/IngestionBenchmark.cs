using System.Diagnostics;
using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Rpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;

namespace CreditRisk.Ingestion.Bench;

/// <summary>Throughput of SubmitBatch (new events, then the same events again as duplicates) and latency of Submit.</summary>
public static class IngestionBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        await using var local = options.Target is null ? await InProcessIngestion.StartAsync() : null;
        var address = options.Target ?? local!.Address;
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
        var apiKey = options.Target is null ? local!.ApiKey : options.ApiKey ?? "";
        var client = new IngestionService.IngestionServiceClient(channel.WithApiKey(apiKey));
        Console.WriteLine($"ingestion bench: {options.Events} transactions, batches of {options.BatchSize}, {options.Concurrency} in flight, against {(options.Target is null ? "in-process service + dev broker " : "")}{address}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        // Warm-up: connections, JIT, topic metadata.
        await SubmitAllAsync(client, Transactions(2_000, 100), options.BatchSize, options.Concurrency);

        var events = Transactions(options.Events, customers: 10_000);
        var (accepted, acceptedTime) = await SubmitAllAsync(client, events, options.BatchSize, options.Concurrency);
        Report("SubmitBatch, new events (validate + reserve + publish + confirm)", accepted, acceptedTime);
        var (duplicates, duplicateTime) = await SubmitAllAsync(client, events, options.BatchSize, options.Concurrency);
        Report("SubmitBatch, resubmitted events (validate + dedup hit)", duplicates, duplicateTime);

        var requests = Transactions(options.SingleSubmits, 1_000).Select(t => new SubmitRequest { Transaction = t }).ToList();
        var latencies = new LatencyRecorder();
        await latencies.MeasureAsync(warmup: 0, requests.Count, async i => await client.SubmitAsync(requests[i]));
        Console.WriteLine($"Submit (one event, sequential, {options.SingleSubmits} calls): {latencies.Summary()}");
        return accepted == options.Events && duplicates == options.Events ? 0 : 1;
    }

    private static async Task<(int Settled, TimeSpan Elapsed)> SubmitAllAsync(
        IngestionService.IngestionServiceClient client, IReadOnlyList<TransactionRecorded> events, int batchSize, int concurrency)
    {
        var batches = events.Chunk(batchSize).Select(chunk =>
        {
            var request = new SubmitBatchRequest();
            request.Items.Add(chunk.Select(t => new SubmitRequest { Transaction = t }));
            return request;
        }).ToList();
        var next = -1;
        var accepted = 0;
        var duplicates = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var index && index < batches.Count)
            {
                var reply = await client.SubmitBatchAsync(batches[index]);
                Interlocked.Add(ref accepted, reply.Accepted);
                Interlocked.Add(ref duplicates, reply.Duplicates);
            }
        }));
        var elapsed = stopwatch.Elapsed;
        // New events count as accepted, resubmitted ones as duplicates; either way "settled".
        return (accepted + duplicates, elapsed);
    }

    private static List<TransactionRecorded> Transactions(int count, int customers)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var customer = $"bench-{i % customers:D6}";
            return new TransactionRecorded
            {
                Envelope = new EventEnvelope
                {
                    EventId = Guid.CreateVersion7().ToString(),
                    EntityKey = customer,
                    EventTime = Timestamp.FromDateTimeOffset(now.AddSeconds(-(count - i))),
                    SchemaVersion = 1,
                    Source = "bench",
                },
                TransactionId = $"txn-{i}",
                CustomerId = customer,
                Amount = -12.5 - (i % 100),
                Currency = "EUR",
                Category = "groceries",
            };
        })];
    }

    private static void Report(string what, int settled, TimeSpan elapsed) =>
        Console.WriteLine($"{what}: {settled} events in {elapsed.TotalSeconds:0.00} s = {settled / elapsed.TotalSeconds:0} events/s");

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
