using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Ingestion.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Grpc.Core;

namespace CreditRisk.Ingestion.Tests;

public sealed class AuthTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IngestionService.IngestionServiceClient Ingestion(string? apiKey) => fixture.Service.ClientFor<IngestionService.IngestionServiceClient>(apiKey);

    [Fact]
    public async Task Submitting_without_a_key_or_with_an_unknown_key_is_unauthenticated_and_publishes_nothing()
    {
        var request = TestRequests.Application();
        var none = await Assert.ThrowsAsync<RpcException>(() => Ingestion(null).SubmitAsync(request, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Contains("x-api-key", none.Status.Detail, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Ingestion("not-a-key").SubmitBatchAsync(new SubmitBatchRequest { Items = { request } }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);

        Assert.DoesNotContain(TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.LoanApplications.Name),
            record => TopicReader.Key(record) == request.Application.CustomerId);
    }

    [Fact]
    public async Task A_reader_key_may_not_submit_and_a_writer_key_may()
    {
        var request = TestRequests.Application();
        var reader = await Assert.ThrowsAsync<RpcException>(() =>
            Ingestion(TestApiKeys.Reader).SubmitAsync(request, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, reader.StatusCode);
        Assert.Contains("writer", reader.Status.Detail, StringComparison.Ordinal);

        var accepted = await Ingestion(TestApiKeys.Writer).SubmitAsync(request, cancellationToken: Ct);
        Assert.Equal(SubmitStatus.Accepted, accepted.Status);
    }

    [Fact]
    public async Task Health_stays_open_to_probes()
    {
        using var anonymous = fixture.Service.CreateHttpClient();
        using var live = await anonymous.GetAsync("/health/live", Ct);
        Assert.True(live.IsSuccessStatusCode);
    }
}
