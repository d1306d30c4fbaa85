using System.CommandLine;
using Confluent.Kafka;
using CreditRisk.DevBroker.Bench;

// Throughput benchmark: one producer (acks=all) then one consumer, against the in-process dev broker and
// against librdkafka's built-in mock cluster, with the same client settings. Prints a side-by-side table.
//
//   dotnet run -c Release --project tools/CreditRisk.DevBroker.Bench -- [--records N] [--size BYTES] [--only dev|mock]

var records = new Option<int>("--records") { Description = "records produced, then consumed", DefaultValueFactory = _ => 1_000_000 };
var size = new Option<int>("--size") { Description = "value size in bytes", HelpName = "bytes", DefaultValueFactory = _ => 100 };
var only = new Option<string?>("--only") { Description = "run against one target only" };
only.AcceptOnlyFromAmong("dev", "mock");
var command = new RootCommand("Produce and consume throughput of the dev broker next to librdkafka's mock cluster.") { records, size, only };
command.SetAction(async (parsed, _) =>
{
    var settings = new BenchSettings(parsed.GetValue(records), parsed.GetValue(size), parsed.GetValue(only));
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
});
return await command.Parse(args).InvokeAsync();
