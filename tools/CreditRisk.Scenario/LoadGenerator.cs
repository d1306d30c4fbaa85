using System.Diagnostics;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CreditRisk.Scenario;

/// <summary>
/// New applications at a constant rate, as a loan system sends them: each scored, then submitted through ingestion,
/// both calls inside one activity, so their spans (and everything downstream of them) share a trace. A shifted
/// application's simulated outcome is recorded right after it is scored: months of loan life compressed to a moment.
/// </summary>
public sealed class LoadGenerator(PlatformClients clients, TrafficSource traffic, ScenarioOptions options)
{
    public const string SubmitCall = "Submit";
    public const string ScoreCall = "Score";
    public const string OutcomeCall = "Outcome";

    public static readonly ActivitySource Source = new("CreditRisk.Scenario");

    private const int MaxInFlight = 256;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private int _shiftFrom = int.MaxValue;
    private int _next;
    private readonly Lock _sampleLock = new();
    private (string ApplicationId, string TraceId)? _sample;

    public TrafficCounters Counters { get; } = new();

    /// <summary>The latest application with a recorded trace whose submission and score both succeeded, once there is one.</summary>
    public (string ApplicationId, string TraceId)? Sample
    {
        get
        {
            lock (_sampleLock)
            {
                return _sample;
            }
        }
    }

    /// <summary>Every application from now on comes from the shifted population.</summary>
    public void Shift() => Interlocked.CompareExchange(ref _shiftFrom, Volatile.Read(ref _next), int.MaxValue);

    /// <summary>Sends applications until <paramref name="cancellationToken"/> fires, then waits for those in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var inFlight = new SemaphoreSlim(MaxInFlight);
        var interval = TimeSpan.FromSeconds(1 / options.Rate);
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                var wait = interval * i - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
                }
                await inFlight.WaitAsync(cancellationToken);
                var index = Interlocked.Increment(ref _next) - 1;
                var application = traffic.Get(index, index >= Volatile.Read(ref _shiftFrom));
                _ = SendAsync(application).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the applications in flight finish below.
        }
        // Every permit back: no application is in flight.
        for (var permit = 0; permit < MaxInFlight; permit++)
        {
            await inFlight.WaitAsync(CancellationToken.None);
        }
    }

    private async Task SendAsync(ScenarioApplication application)
    {
        using var activity = Source.StartActivity("loan application", ActivityKind.Client);
        activity?.SetTag("creditrisk.application_id", application.ApplicationId);
        activity?.SetTag("creditrisk.customer_id", application.CustomerId);
        activity?.SetTag("creditrisk.shifted", application.Shifted);
        var submittedAt = DateTimeOffset.UtcNow;
        // Scored before it is submitted: once the features processor has the application's own event, the customer's
        // vector counts it, and training's point-in-time row for the application never does.
        var scoreStarted = Stopwatch.GetTimestamp();
        ScoreResponse? response = null;
        string? replica = null;
        if (!await CallAsync(ScoreCall, async () =>
            {
                using var call = clients.ScoringLanes[application.Index % clients.ScoringLanes.Count].ScoreAsync(new ScoreRequest
                {
                    RequestId = application.ApplicationId,
                    ApplicationId = application.ApplicationId,
                    CustomerId = application.CustomerId,
                    Application = application.Application,
                    ModelName = options.ModelName,
                }, deadline: DateTime.UtcNow + CallTimeout);
                response = await call.ResponseAsync;
                replica = call.GetTrailers().GetValue(ReplicaMetadata.TrailerName);
                return null;
            }))
        {
            return;
        }
        (Counters.Training ? Counters.ScoreLatencyWhileTraining : Counters.ScoreLatency).RecordSince(scoreStarted);
        Counters.ScoreSucceeded(response!.Arm, response.ModelVersion, application.Shifted, replica);
        if (!await CallAsync(SubmitCall, async () =>
            {
                var result = await clients.Ingestion.SubmitAsync(new SubmitRequest
                {
                    Application = new LoanApplicationSubmitted
                    {
                        Envelope = Envelope(application.CustomerId, submittedAt),
                        ApplicationId = application.ApplicationId,
                        CustomerId = application.CustomerId,
                        Application = application.Application,
                    },
                }, deadline: DateTime.UtcNow + CallTimeout);
                return Accepted(result);
            }))
        {
            return;
        }

        if (activity is { Recorded: true })
        {
            // The latest recorded one: the trace viewer keeps the newest traces.
            lock (_sampleLock)
            {
                _sample = (application.ApplicationId, activity.TraceId.ToHexString());
            }
        }

        if (application.SimulatedOutcome is { } outcome && await CallAsync(OutcomeCall, async () =>
            {
                var result = await clients.Ingestion.SubmitAsync(new SubmitRequest
                {
                    Outcome = new LoanOutcomeRecorded
                    {
                        Envelope = Envelope(application.CustomerId, DateTimeOffset.UtcNow),
                        LoanId = "loan-" + application.ApplicationId,
                        ApplicationId = application.ApplicationId,
                        CustomerId = application.CustomerId,
                        Outcome = outcome,
                        ApplicationTime = Timestamp.FromDateTimeOffset(submittedAt),
                    },
                }, deadline: DateTime.UtcNow + CallTimeout);
                return Accepted(result);
            }))
        {
            Counters.OutcomeSucceeded();
        }
    }

    /// <summary>Runs one call; a failure (an RPC error, or the refusal <paramref name="call"/> returns) is counted and false.</summary>
    private async Task<bool> CallAsync(string call, Func<Task<string?>> send)
    {
        try
        {
            if (await send() is { } refusal)
            {
                Counters.Failed(call, refusal);
                return false;
            }
            return true;
        }
        catch (RpcException failed)
        {
            Counters.Failed(call, failed.StatusCode.ToString());
            Activity.Current?.SetStatus(ActivityStatusCode.Error, failed.Status.Detail);
            return false;
        }
    }

    /// <summary>Null when ingestion took the event (a duplicate is one it already had), else its status and reasons.</summary>
    private static string? Accepted(SubmitResult result) => result.Status is SubmitStatus.Accepted or SubmitStatus.Duplicate
        ? null
        : $"{result.Status} {string.Join("; ", result.Violations.Select(violation => $"{violation.Field}: {violation.Description}"))}".Trim();

    private static EventEnvelope Envelope(string customerId, DateTimeOffset eventTime) =>
        EventEnvelopeFactory.Create(customerId, eventTime, "scenario:loan-system");
}
