using System.Diagnostics;
using System.Globalization;
using CreditRisk.Benchmarking;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Training.Bench;

/// <summary>
/// The persisted training pipeline measured end to end: the training service hosted in this process as its Program.cs
/// composes it (engine, worker, the real validate, train, evaluate, register and promote steps) over a database of its
/// own, its first step swapped for <see cref="PreparedTrainingSetStep"/>; the registry as a separate process over
/// another database; an in-process dev broker for both. A run is started through the service's run starter, executed
/// by its worker, and read back with each step's recorded duration.
/// </summary>
public sealed class PipelineBenchmark : IAsyncDisposable
{
    public static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PreparedTrainingSets _sets = new();
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"creditrisk-training-bench-pipeline-{Environment.ProcessId}");
    private readonly string _apiKey = "bench-" + Guid.NewGuid().ToString("N");
    private readonly PostgresFixture _trainingDatabase = new();
    private readonly PostgresFixture _registryDatabase = new();
    private InProcessDevBroker? _broker;
    private RegistryProcess? _registry;
    private WebApplication? _training;

    private PipelineBenchmark()
    {
    }

    /// <summary>The registry process's client, with the bench's admin key.</summary>
    public CreditRisk.Contracts.Registry.V1.RegistryService.RegistryServiceClient RegistryClient =>
        _registry?.Client ?? throw new InvalidOperationException("The pipeline bench is not started.");

    /// <summary>The models the bench's runs train, each its own name so every run is a model's first (its champion).</summary>
    public static string ModelFor(string name) => "bench_" + new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_')]);

    /// <summary>
    /// Starts everything: <paramref name="registryDll"/>, or the registry built from <paramref name="repositoryRoot"/> into
    /// a scratch folder; <paramref name="models"/> are configured in the training service with these step parameters.
    /// </summary>
    public static async Task<PipelineBenchmark> StartAsync(
        string repositoryRoot, string? registryDll, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> models,
        TextWriter output, CancellationToken cancellationToken)
    {
        var bench = new PipelineBenchmark();
        try
        {
            await bench.StartServicesAsync(repositoryRoot, registryDll, models, output, cancellationToken);
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the training set of <paramref name="csv"/>, runs the pipeline of <paramref name="modelName"/> on it and waits for its end.</summary>
    public async Task<PipelineMeasurement> MeasureAsync(string name, string modelName, string csv, int seed, CancellationToken cancellationToken)
    {
        var building = Stopwatch.StartNew();
        var set = CsvTrainingSet.Read(csv, seed);
        var buildTime = building.Elapsed;
        _sets.Set(modelName, set);

        var services = _training!.Services;
        var starter = services.GetRequiredService<PipelineRunStarter>();
        var reader = services.GetRequiredService<PipelineRunReader>();
        var wall = Stopwatch.StartNew();
        var (run, _) = await starter.StartAsync(
            new RunRequest(modelName, $"bench-{Guid.NewGuid():N}", RunTriggers.Manual, Cutoff: CsvTrainingSet.AsOf, CacheEnabled: false),
            cancellationToken);
        PipelineRunDetails? details = null;
        await Eventually.ThatAsync(async () =>
        {
            details = await reader.GetAsync(run.RunId, cancellationToken);
            return details?.Run.Status is RunStatuses.Succeeded or RunStatuses.Failed or RunStatuses.Cancelled;
        }, RunDeadline, $"pipeline run {run.RunId} of {modelName} to finish", TimeSpan.FromMilliseconds(50));
        var wallTime = wall.Elapsed;

        var finished = details!;
        var steps = finished.Steps.Select(step => new PipelineStepTiming(
            step.Name, step.Status, step.Attempts, TimeSpan.FromMilliseconds(step.DurationMs ?? 0), step.Error)).ToList();
        var outputs = finished.Steps.Where(step => step.Output is not null).ToDictionary(step => step.Name, step => step.Output!);
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        void Take(string step, string value, string key)
        {
            if (outputs.TryGetValue(step, out var output) && output.Values.TryGetValue(value, out var text))
            {
                results[key] = text;
            }
        }
        Take(TrainingStepNames.Train, "winner", "winner");
        Take(TrainingStepNames.Train, "cv_roc_auc", "cv_roc_auc");
        Take(TrainingStepNames.Train, "training_rows", "training_rows");
        Take(TrainingStepNames.Train, "oot_rows", "oot_rows");
        Take(TrainingStepNames.Evaluate, "oot_roc_auc", "oot_roc_auc");
        Take(TrainingStepNames.Register, "model_version", "model_version");
        Take(TrainingStepNames.Promote, "decision", "decision");
        var runTime = finished.Run.StartedAt is { } started && finished.Run.FinishedAt is { } ended ? ended - started : (TimeSpan?)null;
        return new PipelineMeasurement(name, modelName, set.Rows.Count, set.Positives, buildTime, steps,
            finished.Run.Status, finished.Run.FailureReason, runTime, wallTime, results);
    }

    public async ValueTask DisposeAsync()
    {
        if (_training is not null)
        {
            await _training.StopAsync();
            await _training.DisposeAsync();
        }
        _registry?.Dispose();
        await _registryDatabase.DisposeAsync();
        await _trainingDatabase.DisposeAsync();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    private async Task StartServicesAsync(
        string repositoryRoot, string? registryDll, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> models,
        TextWriter output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_scratch);
        await _trainingDatabase.InitializeAsync();
        await _registryDatabase.InitializeAsync();
        _broker = await InProcessDevBroker.StartAsync(cancellationToken: cancellationToken);

        if (registryDll is null)
        {
            var building = Stopwatch.StartNew();
            registryDll = await RegistryBuild.BuildAsync(repositoryRoot, Path.Combine(_scratch, "registry"), cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"registry built into {Path.GetDirectoryName(registryDll)} in {building.Elapsed.TotalSeconds:F1}s (not part of any figure)"));
        }
        var fullDll = Path.GetFullPath(registryDll);
        _registry = await RegistryProcess.StartAsync(
            fullDll, _registryDatabase.ConnectionString, _broker.BootstrapServers, Path.Combine(_scratch, "artifacts"), _apiKey, "admin", StartTimeout,
            new Dictionary<string, string>
            {
                // Its own appsettings.json, not the bench's folder's.
                ["DOTNET_CONTENTROOT"] = Path.GetDirectoryName(fullDll)!,
                ["Kestrel__Endpoints__Http__Protocols"] = "Http1",
                ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
            });

        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _trainingDatabase.ConnectionString,
            ["Kafka:BootstrapServers"] = _broker.BootstrapServers,
            ["Services:Registry:Address"] = _registry.Address,
            ["Services:Registry:ApiKey"] = _apiKey,
            // build_training_set is the prepared one: the features service is never called.
            ["Services:Features:Address"] = "http://127.0.0.1:9",
            ["Services:Features:ApiKey"] = "",
            ["Training:Pipeline:PollInterval"] = "00:00:00.200",
        };
        foreach (var (model, parameters) in models)
        {
            settings[$"Training:Models:{model}:FeatureService"] = CsvTrainingSet.Service.Name;
            settings[$"Training:Models:{model}:FeatureServiceVersion"] = CsvTrainingSet.Service.Version.ToString(CultureInfo.InvariantCulture);
            foreach (var (parameter, value) in parameters)
            {
                settings[$"Training:Models:{model}:Parameters:{parameter}"] = value;
            }
        }
        _training = BenchService.Build(FreePort.Next(), settings, builder =>
        {
            builder.AddApplicationServices();
            UsePreparedTrainingSets(builder.Services, _sets);
        }, app => app.MapApplicationEndpoints(), applicationName: typeof(TrainingStepNames).Assembly.GetName().Name);
        await _training.StartAsync(cancellationToken);
    }

    /// <summary>Puts <see cref="PreparedTrainingSetStep"/> where build_training_set was registered, so the pipeline keeps its order.</summary>
    public static void UsePreparedTrainingSets(IServiceCollection services, PreparedTrainingSets sets)
    {
        var real = services.Single(descriptor => descriptor.ServiceType == typeof(IPipelineStep) && descriptor.ImplementationType == typeof(BuildTrainingSetStep));
        services[services.IndexOf(real)] = ServiceDescriptor.Singleton<IPipelineStep, PreparedTrainingSetStep>();
        services.AddSingleton(sets);
    }
}
