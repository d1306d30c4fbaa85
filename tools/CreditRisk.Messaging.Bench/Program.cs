using CreditRisk.Messaging.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Messaging.Bench [--events 500000] [--bootstrap host:port]
// Without --bootstrap it starts an in-process dev broker on a fresh data folder.
var events = 500_000;
string? bootstrap = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events": events = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--bootstrap": bootstrap = args[++i]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
return await MessagingBenchmark.RunAsync(events, bootstrap);
