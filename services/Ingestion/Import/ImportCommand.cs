using System.Globalization;
using Grpc.Net.Client;

namespace CreditRisk.Ingestion.Import;

/// <summary>
/// dotnet run --project services/Ingestion -- import --file data/credit_data.csv
///   [--seed 42] [--limit N] [--as-of 2026-11-27] [--batch-size 1000]
///   [--target grpc://127.0.0.1:5011 | kafka]
/// </summary>
public static class ImportCommand
{
    public const string Usage = """
        usage: import --file <credit_data.csv> [--seed 42] [--limit N] [--as-of yyyy-MM-dd]
                      [--batch-size 1000] [--target grpc://127.0.0.1:5011 | kafka]
          --target grpc://host:port  submit through a running ingestion service (default grpc://127.0.0.1:5011)
          --target kafka             validate, deduplicate (Redis__Configuration) and publish in this process
                                     straight to Kafka (Kafka__BootstrapServers)
          --as-of                    the import's "now" (default: today, UTC); with --seed it fixes the event ids,
                                     so re-running the same import is acknowledged as duplicates
        """;

    public static async Task<int> RunAsync(string[] arguments)
    {
        string? file = null;
        string target = "grpc://127.0.0.1:5011";
        int? limit = null;
        var batchSize = 1_000;
        var settings = new SynthesisSettings();
        try
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                string Value() => i + 1 < arguments.Length ? arguments[++i] : throw new ArgumentException($"{arguments[i]} needs a value");
                switch (arguments[i])
                {
                    case "--file": file = Value(); break;
                    case "--seed": settings = settings with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                    case "--limit": limit = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--batch-size": batchSize = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--target": target = Value(); break;
                    case "--as-of":
                        settings = settings with
                        {
                            AsOf = DateTimeOffset.ParseExact(Value(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                        };
                        break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default: throw new ArgumentException($"unknown argument {arguments[i]}");
                }
            }
            if (file is null)
            {
                throw new ArgumentException("--file is required");
            }
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"import: {exception.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, args) =>
        {
            args.Cancel = true;
            cancellation.Cancel();
        };
        try
        {
            await using var importTarget = await CreateTargetAsync(target, cancellation.Token);
            var rows = CreditDataCsvReader.ReadFile(file);
            if (limit is { } n)
            {
                rows = rows.Take(n);
            }
            Console.WriteLine($"import {file}: seed {settings.Seed}, as of {settings.AsOf:yyyy-MM-dd}");
            var summary = await new CreditDataImporter(settings, batchSize).ImportAsync(rows, importTarget, Console.Out, cancellation.Token);
            Console.WriteLine(summary);
            foreach (var problem in summary.Problems.Take(20))
            {
                Console.WriteLine($"  {problem}");
            }
            return summary.Total(c => c.Rejected + c.Unavailable) == 0 && summary.RowsSkipped == 0 ? 0 : 1;
        }
        catch (Exception exception) when (exception is CsvFormatException or IOException or ArgumentException or global::Grpc.Core.RpcException)
        {
            Console.Error.WriteLine($"import failed: {exception.Message}");
            return 1;
        }
    }

    private static async Task<IImportTarget> CreateTargetAsync(string target, CancellationToken cancellationToken)
    {
        if (target.Equals("kafka", StringComparison.OrdinalIgnoreCase))
        {
            return await KafkaImportTarget.StartAsync(cancellationToken);
        }
        if (target.StartsWith("grpc://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // grpc://host:port means plaintext HTTP/2 (h2c), as the services' "Grpc" endpoints serve.
            var address = target.StartsWith("grpc://", StringComparison.OrdinalIgnoreCase) ? "http://" + target["grpc://".Length..] : target;
            return new GrpcImportTarget(GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 }));
        }
        throw new ArgumentException($"--target must be grpc://host:port or kafka, not \"{target}\"");
    }
}
