using Confluent.Kafka;
using CreditRisk.DevBroker.Bench;

// Throughput benchmark: one producer (acks=all) then one consumer, against the in-process dev broker and
// against librdkafka's built-in mock cluster, with the same client settings. Prints a side-by-side table.
//
//   dotnet run -c Release --project tools/CreditRisk.DevBroker.Bench -- [--records N] [--size BYTES] [--only dev|mock]

var settings = BenchSettings.Parse(args);
Console.WriteLine($"records: {settings.Records:N0}, value size: {settings.ValueSize} B, acks=all, compression none, 1 partition");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, librdkafka {Library.VersionString}");
Console.WriteLine();

var results = new List<BenchResult>();
if (settings.Only is null or "dev")
{
    results.Add(await Workload.RunAgainstDevBrokerAsync(settings));
}

if (settings.Only is null or "mock")
{
    results.Add(await Workload.RunAgainstMockClusterAsync(settings));
}

BenchReport.Print(results, settings);
