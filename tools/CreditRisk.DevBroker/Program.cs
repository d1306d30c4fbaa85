using System.CommandLine;
using System.Globalization;
using CreditRisk.DevBroker;
using Microsoft.Extensions.Logging;

// CLI: dotnet CreditRisk.DevBroker.dll [--port 9092] [--host 127.0.0.1] [--data DIR] [--partitions N]
//      [--auto-create true|false] [--retention-bytes N] [--retention-ms N] [--segment-bytes N] [--log-level LEVEL]
// The broker handles SIGINT and SIGTERM itself (a clean stop may take longer than the parser would wait).
return await CommandLine.Create(RunAsync).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static async Task<int> RunAsync(BrokerOptions options, LogLevel logLevel)
{
    using var loggerFactory = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(logLevel)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        }));

    await using var broker = new KafkaDevBroker(options, loggerFactory);
    using var stop = new CancellationTokenSource();
    // Ctrl+C and SIGTERM both end in a clean stop (segments closed, coordinator state saved).
    using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
    using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);

    await broker.StartAsync();
    Console.WriteLine($"listening on {options.Host}:{broker.Port.ToString(CultureInfo.InvariantCulture)}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Signalled.
    }
    await broker.StopAsync();
    return 0;

    void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
