using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditRisk.DataImport;

/// <summary>
/// dotnet run --project tools/CreditRisk.DataImport -- --file data/credit_data.csv
///   [--seed 42] [--limit N] [--as-of 2026-11-27] [--batch-size 1000] [--target grpc://127.0.0.1:5011] [--api-key KEY]
/// </summary>
public static class ImportCommand
{
    /// <summary>Where the API key comes from when --api-key is not given (so it stays out of the process list).</summary>
    public const string ApiKeyVariable = "CREDITRISK_API_KEY";

    public static RootCommand Create()
    {
        var file = new Option<string>("--file") { Description = "the credit_data.csv to import", Required = true };
        var seed = new Option<int>("--seed") { Description = "seed of the synthesised behaviour", DefaultValueFactory = _ => new SynthesisSettings().Seed };
        var limit = new Option<int?>("--limit") { Description = "import only the first N rows" };
        var asOf = new Option<DateTimeOffset?>("--as-of")
        {
            Description = "the import's \"now\", yyyy-MM-dd (default: today, UTC); with --seed it fixes the event ids, so re-running the same import is acknowledged as duplicates",
            HelpName = "yyyy-MM-dd",
            CustomParser = ParseDate,
        };
        var batchSize = new Option<int>("--batch-size") { Description = "events per SubmitBatch call", DefaultValueFactory = _ => 1_000 };
        batchSize.Validators.Add(result => MustBePositive(result, batchSize));
        var target = new Option<string>("--target")
        {
            Description = "the ingestion service's gRPC address, grpc://host:port (plaintext HTTP/2) or http(s)://host:port",
            DefaultValueFactory = _ => "grpc://127.0.0.1:5011",
        };
        var apiKey = new Option<string?>("--api-key") { Description = $"sent as the x-api-key header (default: ${ApiKeyVariable})" };

        var command = new RootCommand("Imports a credit_data file through the ingestion service: applications, outcomes and synthesised customer behaviour.")
        {
            file, seed, limit, asOf, batchSize, target, apiKey,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            var settings = new SynthesisSettings { Seed = parsed.GetValue(seed) };
            if (parsed.GetValue(asOf) is { } date)
            {
                settings = settings with { AsOf = date };
            }
            return RunAsync(
                parsed.GetValue(file)!,
                settings,
                parsed.GetValue(limit),
                parsed.GetValue(batchSize),
                parsed.GetValue(target)!,
                parsed.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable),
                cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string file, SynthesisSettings settings, int? limit, int batchSize, string target, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            await using var importTarget = new GrpcImportTarget(
                GrpcChannel.ForAddress(Address(target), new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 }), apiKey);
            var rows = CreditDataCsvReader.ReadFile(file);
            if (limit is { } n)
            {
                rows = rows.Take(n);
            }
            Console.WriteLine($"import {file}: seed {settings.Seed}, as of {settings.AsOf:yyyy-MM-dd}");
            var summary = await new CreditDataImporter(settings, batchSize).ImportAsync(rows, importTarget, Console.Out, cancellationToken);
            Console.WriteLine(summary);
            foreach (var problem in summary.Problems.Take(20))
            {
                Console.WriteLine($"  {problem}");
            }
            return summary.Total(c => c.Rejected + c.Unavailable) == 0 && summary.RowsSkipped == 0 ? 0 : 1;
        }
        catch (Exception exception) when (exception is CsvFormatException or IOException or ArgumentException or RpcException)
        {
            Console.Error.WriteLine($"import failed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>grpc://host:port means plaintext HTTP/2 (h2c), as the services' "Grpc" endpoints serve.</summary>
    private static string Address(string target)
    {
        if (target.StartsWith("grpc://", StringComparison.OrdinalIgnoreCase))
        {
            return "http://" + target["grpc://".Length..];
        }
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return target;
        }
        throw new ArgumentException($"--target must be grpc://host:port or http(s)://host:port, not \"{target}\"");
    }

    private static DateTimeOffset? ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date;
        }
        result.AddError($"--as-of takes a date as yyyy-MM-dd, not \"{text}\"");
        return null;
    }

    private static void MustBePositive(OptionResult result, Option<int> option)
    {
        if (result.GetValueOrDefault<int>() <= 0)
        {
            result.AddError($"{option.Name} must be at least 1");
        }
    }
}
