using System.CommandLine;
using CreditRisk.DataImport;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Spectre.Console;

namespace CreditRisk.Scenario;

/// <summary>
/// dotnet CreditRisk.Scenario.dll --file data/credit_data.csv [--rate 100] [--baseline 2000] [--host 127.0.0.1]
///   [--dashboard http://127.0.0.1:18888]; the API key from $CREDITRISK_API_KEY, traces to $OTEL_EXPORTER_OTLP_ENDPOINT.
/// </summary>
public static class ScenarioCommand
{
    public const string ApiKeyVariable = "CREDITRISK_API_KEY";

    public static RootCommand Create()
    {
        var file = new Option<string>("--file") { Description = "the credit_data.csv the traffic's applications come from", Required = true };
        var host = new Option<string>("--host") { Description = "where the services listen, on the local loop's ports", DefaultValueFactory = _ => "127.0.0.1" };
        var dashboard = new Option<string>("--dashboard") { Description = "the trace viewer's address", DefaultValueFactory = _ => "http://127.0.0.1:18888" };
        var kafka = new Option<string>("--kafka") { Description = "the broker's bootstrap address", DefaultValueFactory = _ => "127.0.0.1:9092" };
        var rate = new Option<double>("--rate") { Description = "new applications per second", DefaultValueFactory = _ => 100 };
        var baseline = new Option<int>("--baseline") { Description = "applications before the shift (one drift window)", DefaultValueFactory = _ => 2_000 };
        var seed = new Option<int>("--seed") { Description = "seed of the traffic", DefaultValueFactory = _ => 7 };
        var command = new RootCommand("The local loop's scenario: live traffic with an experiment, a population shift, drift, retraining, promotion and the swap under load.")
        {
            file, host, dashboard, kafka, rate, baseline, seed,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetValue(file)!, parsed.GetValue(host)!, parsed.GetValue(dashboard)!, parsed.GetValue(kafka)!, parsed.GetValue(rate), parsed.GetValue(baseline), parsed.GetValue(seed), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string file, string host, string dashboard, string kafka, double rate, int baseline, int seed, CancellationToken cancellationToken)
    {
        var apiKey = Environment.GetEnvironmentVariable(ApiKeyVariable);
        if (string.IsNullOrEmpty(apiKey))
        {
            await Console.Error.WriteLineAsync($"${ApiKeyVariable} is not set: the services refuse calls without an API key");
            return 2;
        }
        Uri At(int port) => new($"http://{host}:{port}/");
        var options = new ScenarioOptions
        {
            Ingestion = At(5011),
            Training = At(5041),
            Registry = At(5031),
            Scoring = At(5051),
            FeaturesAddress = At(5021),
            Drift = At(5061),
            TrainingHttp = At(5040),
            RegistryHttp = At(5030),
            DriftHttp = At(5060),
            Dashboard = new Uri(dashboard.TrimEnd('/') + "/"),
            ApiKey = apiKey,
            KafkaBootstrapServers = kafka,
            Rate = rate,
            BaselineApplications = baseline,
        };
        // Exported only where a collector is configured (tools/run.sh points it at the dashboard); the sampler, like the
        // services', follows OTEL_TRACES_SAMPLER.
        using var tracing = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 }
            ? Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("scenario"))
                .AddSource(LoadGenerator.Source.Name)
                // The calls' client spans, which the services' server spans name as their parents.
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter()
                .Build()
            : null;
        var traffic = new TrafficSource(CreditDataCsvReader.ReadFile(file), options.Shift, seed, DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture));
        using var clients = new PlatformClients(options);
        var console = AnsiConsole.Console;
        if (!console.Profile.Capabilities.Interactive)
        {
            // Piped into a log: one line per step, not wrapped at the default 80 columns.
            console.Profile.Width = 240;
        }
        var report = await new ScenarioRunner(options, clients, traffic, console).RunAsync(cancellationToken);
        ScenarioSummary.Write(report, options, console);
        return report.Incomplete is null && report.Traffic!.ScoreFailed == 0 ? 0 : 1;
    }
}
