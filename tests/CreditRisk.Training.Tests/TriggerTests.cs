using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Testing.Kafka;
using CreditRisk.Training.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace CreditRisk.Training.Tests;

/// <summary>What starts runs: StartRun by request id, and retrain requests from Kafka with the per-model cool-down.</summary>
public sealed class TriggerTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task StartRun_with_the_same_request_id_returns_the_same_run()
    {
        var request = pipeline.NewRun(("seed", "7"));
        request.RequestId = "idempotent-" + Guid.NewGuid().ToString("N");

        var first = await pipeline.StartAsync(request);
        var again = await pipeline.StartAsync(request);
        var other = await pipeline.StartAsync(pipeline.NewRun(("seed", "7")));

        Assert.Equal(first.RunId, again.RunId);
        Assert.Equal(request.RequestId, again.RequestId);
        Assert.NotEqual(first.RunId, other.RunId);
        var listed = await pipeline.Reader.ListRunsAsync(new ListRunsRequest { ModelName = pipeline.Model, PageSize = 200 },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(listed.Runs, run => run.RequestId == request.RequestId);
    }

    [Fact]
    public async Task Retrain_requests_start_one_run_per_request_id_and_one_inside_the_cool_down_is_skipped_and_recorded()
    {
        var publisher = pipeline.Service.Get<IEventPublisher>();
        var drift = Request("drift-" + Guid.NewGuid().ToString("N"), RetrainTrigger.Drift, "report-" + Guid.NewGuid().ToString("N")[..8]);
        var manual = Request("manual-" + Guid.NewGuid().ToString("N"), RetrainTrigger.Manual, "");

        await publisher.PublishAsync(drift, TestContext.Current.CancellationToken);
        // Redelivered: the same request again.
        await publisher.PublishAsync(drift, TestContext.Current.CancellationToken);
        await publisher.PublishAsync(manual, TestContext.Current.CancellationToken);
        // Same model, so the same partition: once the manual request is decided, the two before it were too.
        await Eventually.ThatAsync(async () => (await DecisionAsync(manual.RequestId)) is not null, PipelineFixture.Deadline, "the manual request to be decided");

        var started = await DecisionAsync(drift.RequestId);
        Assert.Equal("started", started!.Value.Decision);
        var run = await pipeline.WaitForFinishAsync(started.Value.RunId!.Value.ToString());
        Assert.Equal("drift", run.Trigger);
        Assert.Equal(drift.DriftReportId, run.DriftReportId);
        Assert.Equal("retrain:" + drift.RequestId, run.RequestId);
        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        var listed = await pipeline.Reader.ListRunsAsync(new ListRunsRequest { ModelName = pipeline.Model, PageSize = 200 },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(listed.Runs, listed => listed.RequestId == "retrain:" + drift.RequestId);

        var skipped = await DecisionAsync(manual.RequestId);
        Assert.Equal("skipped", skipped!.Value.Decision);
        Assert.Null(skipped.Value.RunId);
        Assert.Contains("cool-down", skipped.Value.Reason, StringComparison.Ordinal);
        Assert.Contains(run.RunId, skipped.Value.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(listed.Runs, listed => listed.RequestId == "retrain:" + manual.RequestId);
    }

    [Fact]
    public async Task A_retrain_request_for_an_unconfigured_model_is_recorded_as_skipped()
    {
        var request = Request("unknown-" + Guid.NewGuid().ToString("N"), RetrainTrigger.Manual, "");
        request.ModelName = "no_such_model";

        await pipeline.Service.Get<IEventPublisher>().PublishAsync(request, TestContext.Current.CancellationToken);
        await Eventually.ThatAsync(async () => (await DecisionAsync(request.RequestId)) is not null, PipelineFixture.Deadline, "the request to be decided");

        var decision = await DecisionAsync(request.RequestId);
        Assert.Equal("skipped", decision!.Value.Decision);
        Assert.Contains("not configured", decision.Value.Reason, StringComparison.Ordinal);
    }

    private RetrainRequested Request(string requestId, RetrainTrigger trigger, string driftReportId) => new()
    {
        Envelope = new EventEnvelope
        {
            EventId = Guid.NewGuid().ToString(),
            EntityKey = pipeline.Model,
            EventTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            RecordedTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Source = "drift-monitoring",
            SchemaVersion = 1,
        },
        RequestId = requestId,
        ModelName = pipeline.Model,
        Trigger = trigger,
        Reason = "test",
        DriftReportId = driftReportId,
    };

    private async Task<(string Decision, string? Reason, Guid? RunId)?> DecisionAsync(string requestId)
    {
        await using var command = pipeline.Database.CreateCommand("SELECT decision, decision_reason, run_id FROM training.retrain_requests WHERE request_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = requestId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2))
            : null;
    }
}
