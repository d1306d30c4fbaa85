using System.Net;
using System.Net.Http.Json;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Hosting;
using CreditRisk.Training.Tests.Support;
using Grpc.Core;

namespace CreditRisk.Training.Tests;

/// <summary>Who may call the training API, and what it answers to requests it cannot serve.</summary>
public sealed class ApiKeyAndValidationTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task StartRun_without_a_key_is_unauthenticated_and_with_a_reader_key_permission_denied()
    {
        var anonymous = pipeline.Service.ClientFor<TrainingService.TrainingServiceClient>(null);

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await anonymous.StartRunAsync(pipeline.NewRun(),
            cancellationToken: TestContext.Current.CancellationToken));
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await pipeline.Reader.StartRunAsync(pipeline.NewRun(),
            cancellationToken: TestContext.Current.CancellationToken));
        var cancelDenied = await Assert.ThrowsAsync<RpcException>(async () => await pipeline.Reader.CancelRunAsync(
            new CancelRunRequest { RunId = Guid.NewGuid().ToString() }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, cancelDenied.StatusCode);
    }

    [Fact]
    public async Task Rest_refuses_a_start_without_a_key_or_with_a_reader_key_and_reads_need_a_key()
    {
        using var anonymous = pipeline.Service.CreateHttpClient();
        using var reader = pipeline.Service.CreateHttpClient(TestApiKeys.Reader);
        var body = new { modelName = pipeline.Model };

        using var unauthenticated = await anonymous.PostAsJsonAsync("/api/training/runs", body, TestContext.Current.CancellationToken);
        using var denied = await reader.PostAsJsonAsync("/api/training/runs", body, TestContext.Current.CancellationToken);
        using var anonymousRead = await anonymous.GetAsync("/api/training/runs", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRead.StatusCode);
    }

    [Fact]
    public async Task An_unknown_model_is_invalid_and_names_model_name()
    {
        var refusal = await StartRefusedAsync(new StartRunRequest { ModelName = "no_such_model" });

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        var violation = Assert.Single(FieldViolations.Of(refusal));
        Assert.Equal("model_name", violation.Field);
        Assert.Contains("no_such_model", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_or_empty_parameter_and_a_negative_version_are_invalid_each_named()
    {
        var request = pipeline.NewRun(("learning_rate", "0.1"), ("seed", " "));
        request.FeatureServiceVersion = -1;

        var refusal = await StartRefusedAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        var fields = FieldViolations.Of(refusal).Select(violation => violation.Field).ToList();
        Assert.Contains("parameters[learning_rate]", fields);
        Assert.Contains("parameters[seed]", fields);
        Assert.Contains("feature_service_version", fields);
    }

    [Fact]
    public async Task A_bad_run_id_is_invalid_and_an_unknown_one_not_found()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await pipeline.Reader.GetRunAsync(new GetRunRequest { RunId = "run-1" },
            cancellationToken: TestContext.Current.CancellationToken));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await pipeline.Reader.GetRunAsync(
            new GetRunRequest { RunId = Guid.NewGuid().ToString() }, cancellationToken: TestContext.Current.CancellationToken));
        var cancelUnknown = await Assert.ThrowsAsync<RpcException>(async () => await pipeline.Writer.CancelRunAsync(
            new CancelRunRequest { RunId = Guid.NewGuid().ToString() }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal("run_id", Assert.Single(FieldViolations.Of(bad)).Field);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.NotFound, cancelUnknown.StatusCode);
    }

    [Fact]
    public async Task Rest_answers_bad_input_with_400_naming_the_field()
    {
        using var writer = pipeline.Service.CreateHttpClient(TestApiKeys.Writer);

        using var response = await writer.PostAsJsonAsync("/api/training/runs", new { modelName = "no_such_model" }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"model_name\"", body, StringComparison.Ordinal);
    }

    private async Task<RpcException> StartRefusedAsync(StartRunRequest request) =>
        await Assert.ThrowsAsync<RpcException>(async () => await pipeline.Writer.StartRunAsync(request, cancellationToken: TestContext.Current.CancellationToken));
}
