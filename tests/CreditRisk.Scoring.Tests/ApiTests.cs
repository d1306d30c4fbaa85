using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Google.Protobuf;
using Grpc.Core;
using static CreditRisk.Scoring.Tests.Support.ScoringEnvironment;

namespace CreditRisk.Scoring.Tests;

/// <summary>The gRPC API's refusals: INVALID_ARGUMENT naming fields, API keys and roles, batches, limits and deadlines.</summary>
public sealed class ApiTests(ChampionFixture fixture) : IClassFixture<ChampionFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bad_fields_are_invalid_argument_naming_each_one()
    {
        var request = Request("", new CreditRisk.Contracts.Common.V1.LoanApplication
        {
            Amount = -5, TermMonths = 0, Price = 100, Expenses = 10, AgeYears = 12, SeniorityYears = 1,
        }, requestId: "bad id with spaces");

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ScoreAsync(request, cancellationToken: Cancellation).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(
            ["application.age_years", "application.amount", "application.term_months", "customer_id", "request_id"],
            FieldViolations.Of(refused).Select(violation => violation.Field).Order());
        Assert.Contains("application.amount: must be > 0", refused.Status.Detail);
    }

    [Fact]
    public async Task A_missing_application_is_named()
    {
        var request = Request("c-1");
        request.Application = null;

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ScoreAsync(request, cancellationToken: Cancellation).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("application", Assert.Single(FieldViolations.Of(refused)).Field);
    }

    [Fact]
    public async Task Scoring_needs_an_api_key_with_the_writer_role()
    {
        var anonymous = fixture.Scoring.ClientFor<ScoringService.ScoringServiceClient>(null);
        var reader = fixture.Scoring.ClientFor<ScoringService.ScoringServiceClient>(TestApiKeys.Reader);
        var unknown = fixture.Scoring.ClientFor<ScoringService.ScoringServiceClient>("no-such-key");

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => anonymous.ScoreAsync(Request("c-1"), cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => unknown.ScoreAsync(Request("c-1"), cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.ScoreAsync(Request("c-1"), cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => reader.ScoreBatchAsync(new ScoreBatchRequest { Requests = { Request("c-1") } }, cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        Assert.Equal(fixture.Environment.ModelName, (await fixture.Client.ScoreAsync(Request("c-1"), cancellationToken: Cancellation)).ModelName);
    }

    [Fact]
    public async Task A_batch_is_answered_in_order_with_per_item_errors()
    {
        var bad = Request("c-2");
        bad.Application.Price = 0;
        var unknownModel = Request("c-3");
        unknownModel.ModelName = "no-such-model";
        var batch = new ScoreBatchRequest { Requests = { Request("c-1"), bad, unknownModel, Request("c-4") } };

        var response = await fixture.Client.ScoreBatchAsync(batch, cancellationToken: Cancellation);

        Assert.Equal(4, response.Items.Count);
        Assert.Equal((2, 2), (response.Scored, response.Failed));
        Assert.Equal(batch.Requests[0].RequestId, response.Items[0].Response.RequestId);
        Assert.Equal((int)StatusCode.InvalidArgument, response.Items[1].Error.Code);
        Assert.Equal("application.price", Assert.Single(response.Items[1].Error.FieldViolations).Field);
        Assert.Equal((int)StatusCode.NotFound, response.Items[2].Error.Code);
        Assert.Contains("no-such-model", response.Items[2].Error.Message);
        Assert.Equal(batch.Requests[3].RequestId, response.Items[3].Response.RequestId);
    }

    [Fact]
    public async Task A_batch_over_the_limit_or_empty_is_refused()
    {
        var tooMany = new ScoreBatchRequest { Requests = { Enumerable.Range(0, 101).Select(i => Request($"c-{i}")) } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ScoreBatchAsync(tooMany, cancellationToken: Cancellation).ResponseAsync);
        var empty = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ScoreBatchAsync(new ScoreBatchRequest(), cancellationToken: Cancellation).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("requests", Assert.Single(FieldViolations.Of(refused)).Field);
        Assert.Contains("at most 100", refused.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused()
    {
        var huge = Request("c-1");
        huge.ModelName = new string('m', 2 * 1024 * 1024);

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ScoreAsync(huge, cancellationToken: Cancellation).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
    }

    [Fact]
    public async Task An_expired_deadline_is_not_scored()
    {
        var request = Request("c-deadline");

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.ScoreAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(-1), cancellationToken: Cancellation).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, refused.StatusCode);
    }
}
