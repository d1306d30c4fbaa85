using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Ingestion.Tests.Support;
using CreditRisk.Testing.Kafka;
using Grpc.Core;

namespace CreditRisk.Ingestion.Tests;

public sealed class IdempotencyTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private IngestionService.IngestionServiceClient Client => fixture.Service.Client;

    [Fact]
    public async Task Resubmitted_event_is_acknowledged_as_duplicate_and_not_published_again()
    {
        var request = TestRequests.Application();
        var eventId = request.Application.Envelope.EventId;

        var first = await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        var second = await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        var inBatch = await Client.SubmitBatchAsync(new SubmitBatchRequest { Items = { request } }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SubmitStatus.Accepted, first.Status);
        Assert.Equal(SubmitStatus.Duplicate, second.Status);
        Assert.Equal(eventId, second.EventId);
        Assert.Equal(SubmitStatus.Duplicate, Assert.Single(inBatch.Results).Status);
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.LoanApplications, eventId));
    }

    [Fact]
    public async Task Concurrent_resubmissions_to_two_instances_publish_once()
    {
        await using var other = await fixture.StartInstanceAsync();
        var request = TestRequests.Transaction();
        var eventId = request.Transaction.Envelope.EventId;
        var clients = new[] { fixture.Service.Client, other.Client };

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            clients[i % 2].SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync));

        Assert.Equal(1, results.Count(result => result.Status == SubmitStatus.Accepted));
        Assert.Equal(23, results.Count(result => result.Status == SubmitStatus.Duplicate));
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.Transactions, eventId));
    }

    [Fact]
    public async Task Concurrent_batches_with_overlapping_events_publish_each_once()
    {
        await using var other = await fixture.StartInstanceAsync();
        var customer = TestRequests.NewCustomer();
        var events = Enumerable.Range(0, 40).Select(_ => TestRequests.Transaction(customer)).ToList();
        var first = new SubmitBatchRequest { Items = { events.Take(30) } };
        var second = new SubmitBatchRequest { Items = { events.Skip(10) } };

        var replies = await Task.WhenAll(
            fixture.Service.Client.SubmitBatchAsync(first, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync,
            other.Client.SubmitBatchAsync(second, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(40, replies.Sum(reply => reply.Accepted));
        Assert.Equal(20, replies.Sum(reply => reply.Duplicates));
        var published = TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.Transactions.Name)
            .Where(record => TopicReader.Key(record) == customer)
            .Select(record => TopicReader.Header(record, Messaging.MessageHeaders.EventId))
            .ToList();
        Assert.Equal(events.Select(e => e.Transaction.Envelope.EventId).Order(), published.Order());
    }

    [Fact]
    public async Task Dedup_survives_a_restart_of_the_service()
    {
        var request = TestRequests.Outcome();
        var eventId = request.Outcome.Envelope.EventId;
        var before = await fixture.StartInstanceAsync();
        Assert.Equal(SubmitStatus.Accepted, (await before.Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken)).Status);
        await before.DisposeAsync();

        await using var after = await fixture.StartInstanceAsync();
        var resubmitted = await after.Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SubmitStatus.Duplicate, resubmitted.Status);
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.LoanOutcomes, eventId));
    }

    [Fact]
    public async Task Same_event_id_with_different_content_is_rejected_naming_the_event_id()
    {
        var request = TestRequests.Repayment();
        await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        var changed = request.Clone();
        changed.Repayment.AmountPaid = 1;

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.SubmitAsync(changed, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("repayment.envelope.event_id: already used by a different event", error.Status.Detail, StringComparison.Ordinal);
        var record = Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.Repayments, request.Repayment.Envelope.EventId));
        Assert.Equal(request.Repayment.AmountPaid, TopicReader.Parse<Contracts.Events.V1.RepaymentRecorded>(record).AmountPaid);
    }

    [Fact]
    public async Task Failed_publish_releases_the_event_id_so_a_retry_publishes_it()
    {
        // An instance whose broker does not answer: the producer gives up after its delivery timeout.
        await using var broken = await IngestionServiceHost.StartAsync("127.0.0.1:1", fixture.DedupKeyPrefix, provisionTopics: false,
            settings: new Dictionary<string, string?> { ["Kafka:Producer:message.timeout.ms"] = "2000" });
        var request = TestRequests.Application();
        var eventId = request.Application.Envelope.EventId;

        var error = await Assert.ThrowsAsync<RpcException>(() => broken.Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.False(await fixture.Redis.Database.KeyExistsAsync(fixture.DedupKeyPrefix + eventId), "the reservation was released");
        var retried = await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(SubmitStatus.Accepted, retried.Status);
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.LoanApplications, eventId));
        Assert.True(await fixture.Redis.Database.KeyExistsAsync(fixture.DedupKeyPrefix + eventId), "the published id is remembered");
    }

    [Fact]
    public async Task Published_ids_are_remembered_for_the_retention_period()
    {
        var request = TestRequests.Transaction();
        await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var ttl = await fixture.Redis.Database.KeyTimeToLiveAsync(fixture.DedupKeyPrefix + request.Transaction.Envelope.EventId);

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(34), TimeSpan.FromDays(35));
    }

    [Fact]
    public async Task Without_the_dedup_store_nothing_is_published_and_the_service_is_not_ready()
    {
        await using var blind = await IngestionServiceHost.StartAsync(fixture.BootstrapServers, fixture.DedupKeyPrefix, provisionTopics: false,
            settings: new Dictionary<string, string?> { ["Redis:Configuration"] = "127.0.0.1:1,connectTimeout=500,asyncTimeout=1000" });
        var request = TestRequests.Transaction();

        var error = await Assert.ThrowsAsync<RpcException>(() => blind.Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        using var http = blind.CreateHttpClient();
        var readiness = await http.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(0, PublishedEvents.CountAcrossRawTopics(fixture.BootstrapServers, request.Transaction.Envelope.EventId));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
    }
}
