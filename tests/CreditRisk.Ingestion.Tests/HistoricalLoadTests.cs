using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Ingestion.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CreditRisk.Ingestion.Tests;

/// <summary>A historical load keeps the source system's recorded time; only an admin may do it, and the time must make sense.</summary>
public sealed class HistoricalLoadTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IngestionService.IngestionServiceClient Ingestion(string apiKey) => fixture.Service.ClientFor<IngestionService.IngestionServiceClient>(apiKey);

    private static SubmitRequest Historical(DateTimeOffset eventTime, DateTimeOffset? recordedTime)
    {
        var request = TestRequests.Application();
        request.Historical = true;
        request.Application.Envelope.EventTime = Timestamp.FromDateTimeOffset(eventTime);
        request.Application.Envelope.RecordedTime = recordedTime is { } recorded ? Timestamp.FromDateTimeOffset(recorded) : null;
        return request;
    }

    [Fact]
    public async Task An_admin_historical_load_keeps_the_callers_recorded_time()
    {
        var eventTime = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
        var request = Historical(eventTime, eventTime.AddMinutes(5));

        var result = await Ingestion(TestApiKeys.Admin).SubmitAsync(request, cancellationToken: Ct);

        Assert.Equal(SubmitStatus.Accepted, result.Status);
        var published = Assert.Single(TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.LoanApplications.Name)
            .Select(TopicReader.Parse<LoanApplicationSubmitted>), e => e.Envelope.EventId == result.EventId);
        Assert.Equal(eventTime.AddMinutes(5), published.Envelope.RecordedTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_writer_may_not_load_history_and_nothing_is_published()
    {
        var request = Historical(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-30));

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Ingestion(TestApiKeys.Writer).SubmitBatchAsync(new SubmitBatchRequest { Items = { request } }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("admin", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.LoanApplications.Name),
            record => TopicReader.Key(record) == request.Application.CustomerId);
    }

    [Fact]
    public async Task A_historical_load_without_a_recorded_time_or_one_before_the_event_is_invalid_naming_the_field()
    {
        var eventTime = DateTimeOffset.UtcNow.AddDays(-10);
        foreach (var request in new[] { Historical(eventTime, null), Historical(eventTime, eventTime.AddSeconds(-1)) })
        {
            var invalid = await Assert.ThrowsAsync<RpcException>(() => Ingestion(TestApiKeys.Admin).SubmitAsync(request, cancellationToken: Ct).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
            Assert.Contains("application.envelope.recorded_time", invalid.Status.Detail, StringComparison.Ordinal);
        }
    }
}
