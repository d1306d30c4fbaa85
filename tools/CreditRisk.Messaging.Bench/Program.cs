using System.CommandLine;
using CreditRisk.Messaging.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Messaging.Bench [--events 500000] [--bootstrap host:port]
// Without --bootstrap it starts an in-process dev broker on a fresh data folder.
var events = new Option<int>("--events") { Description = "events published and consumed each way", DefaultValueFactory = _ => 500_000 };
var bootstrap = new Option<string?>("--bootstrap") { Description = "a broker to use (host:port); without it one is started in-process" };
var command = new RootCommand("Publish and consume throughput of the messaging library against raw Confluent.Kafka.") { events, bootstrap };
command.SetAction((parsed, _) => MessagingBenchmark.RunAsync(parsed.GetValue(events), parsed.GetValue(bootstrap)));
return await command.Parse(args).InvokeAsync();
