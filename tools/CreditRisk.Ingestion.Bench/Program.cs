using CreditRisk.Ingestion.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Ingestion.Bench
//          [--events 200000] [--batch-size 500] [--concurrency 4] [--single 2000] [--target http://host:port]
// Without --target it starts an in-process dev broker and the ingestion service on Kestrel (h2c on a
// free port), against the Redis at Redis__Configuration (default 127.0.0.1:6379).
var options = new BenchOptions();
for (var i = 0; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--events": options.Events = Next(); break;
        case "--batch-size": options.BatchSize = Next(); break;
        case "--concurrency": options.Concurrency = Next(); break;
        case "--single": options.SingleSubmits = Next(); break;
        case "--target": options.Target = args[++i]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
return await IngestionBenchmark.RunAsync(options);
