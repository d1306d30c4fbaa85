using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Grpc;
using CreditRisk.Scoring.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Grpc.Core;
using static CreditRisk.Scoring.Tests.Support.ScoringEnvironment;

namespace CreditRisk.Scoring.Tests;

/// <summary>Scoring when Redis or Kafka goes away: the configured Redis policy both ways, recovery, and a bounded log that pushes back.</summary>
public sealed class ResilienceTests(DevBrokerFixture broker) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ScoringEnvironment _environment = new(broker);
    private readonly PrivateRedis _redis = new();

    public async ValueTask InitializeAsync()
    {
        await _environment.InitializeAsync();
        await _redis.StartAsync();
        await _environment.PromoteAsync(await _environment.RegisterAsync(TestModels.ModelA));
    }

    public async ValueTask DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fail_closed_answers_unavailable_while_redis_is_down_and_recovers_when_it_returns()
    {
        var scoring = await _environment.StartReadyScoringAsync(new Dictionary<string, string?> { ["Redis:Configuration"] = _redis.Configuration });
        var client = Client(scoring);
        Assert.False((await client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation)).Degraded);

        await _redis.StopAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("online store", refused.Status.Detail);

        await _redis.StartAsync();

        await Eventually.ThatAsync(async () => !(await client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation)).Degraded, Deadline, "scoring to recover");
    }

    [Fact]
    public async Task Degrade_scores_on_defaults_for_review_while_redis_is_down_and_recovers_when_it_returns()
    {
        var scoring = await _environment.StartReadyScoringAsync(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = _redis.Configuration,
            ["Scoring:OnlineStoreUnavailable"] = "Degrade",
        });
        var client = Client(scoring);

        await _redis.StopAsync();

        var degraded = await client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation);
        Assert.True(degraded.Degraded);
        Assert.True(degraded.DefaultsUsed);
        Assert.Equal(Decision.Review, degraded.Decision);
        Assert.All(degraded.Features.Where(feature => !feature.Feature.Name.StartsWith("application:", StringComparison.Ordinal)),
            feature => Assert.Equal(FeatureStatus.Unavailable, feature.Status));
        Assert.All(degraded.Features.Where(feature => feature.Feature.Name.StartsWith("application:", StringComparison.Ordinal)),
            feature => Assert.Equal(FeatureStatus.Present, feature.Status));
        // Readiness does not take a degrading replica out of rotation for Redis.
        using var http = scoring.CreateHttpClient();
        Assert.True((await http.GetAsync("/health/ready", Cancellation)).IsSuccessStatusCode);

        await _redis.StartAsync();

        await Eventually.ThatAsync(async () => !(await client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation)).Degraded, Deadline, "scoring to recover");
    }

    [Fact]
    public async Task With_kafka_down_scoring_goes_on_until_the_log_buffer_is_full_then_pushes_back()
    {
        var scoring = await _environment.StartReadyScoringAsync(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["Kafka:ProvisionTopics"] = "false",
            ["Scoring:PredictionLog:Capacity"] = "5",
            ["Scoring:PredictionLog:BatchSize"] = "1",
            ["Scoring:PredictionLog:MaxEnqueueWait"] = "00:00:00.100",
            ["Scoring:PredictionLog:DrainTimeout"] = "00:00:01",
        });
        var client = Client(scoring);

        var scored = 0;
        RpcException? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            try
            {
                await client.ScoreAsync(Request($"c-{i}"), cancellationToken: Cancellation);
                scored++;
            }
            catch (RpcException exception)
            {
                refused = exception;
            }
        }

        // Five buffered and one in the publisher's hands, then back-pressure: never a silent drop.
        Assert.InRange(scored, 5, 6);
        Assert.NotNull(refused);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("prediction log is full", refused.Status.Detail);
    }

    [Fact]
    public async Task A_call_whose_deadline_passes_while_redis_stalls_is_neither_scored_nor_logged()
    {
        var scoring = await _environment.StartReadyScoringAsync(new Dictionary<string, string?> { ["Redis:Configuration"] = _redis.Configuration });
        var client = Client(scoring);
        await client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation);
        using var requests = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            scoring.Get<System.Diagnostics.Metrics.IMeterFactory>(), Telemetry.ScoringTelemetry.Name, "creditrisk.scoring.requests");
        var late = Request("c-1");

        // The stall outlasts the call's deadline but not the Redis client's timeout (1 s), so the read still succeeds.
        await _redis.PauseAsync();
        var expired = await Assert.ThrowsAsync<RpcException>(() =>
            client.ScoreAsync(late, deadline: DateTime.UtcNow.AddMilliseconds(200), cancellationToken: Cancellation).ResponseAsync);
        await _redis.ResumeAsync();

        // The client's deadline timer and the server's abort of the stream fire together; through the in-process test
        // server the abort sometimes arrives first and surfaces as INTERNAL.
        Assert.Contains(expired.StatusCode, new[] { StatusCode.DeadlineExceeded, StatusCode.Internal });
        await Eventually.ThatAsync(() => requests.GetMeasurementSnapshot().Any(measurement => Equals(measurement.Tags["outcome"], "cancelled")),
            Deadline, "the expired call counted as cancelled");
        var next = await client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation);
        await Eventually.ThatAsync(() => _environment.Predictions().Any(prediction => prediction.RequestId == next.RequestId), Deadline, "a later prediction logged");
        Assert.DoesNotContain(_environment.Predictions(), prediction => prediction.RequestId == late.RequestId);
    }
}
