using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Topics;
using CreditRisk.Ingestion.Tests.Support;
using CreditRisk.Testing.Kafka;
using Grpc.Core;

namespace CreditRisk.Ingestion.Tests;

public sealed class BatchTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private IngestionService.IngestionServiceClient Client => fixture.Service.Client;

    [Fact]
    public async Task Valid_items_are_published_and_invalid_ones_reported_per_item()
    {
        var customer = TestRequests.NewCustomer();
        var application = TestRequests.Application(customer);
        var badTransaction = TestRequests.Transaction(customer);
        badTransaction.Transaction.Currency = "euro";
        badTransaction.Transaction.Amount = double.PositiveInfinity;
        var transaction = TestRequests.Transaction(customer);
        var badOutcome = TestRequests.Outcome(customer);
        badOutcome.Outcome.Envelope.EntityKey = "another-customer";
        var repayment = TestRequests.Repayment(customer);
        var request = new SubmitBatchRequest { Items = { application, badTransaction, transaction, badOutcome, repayment } };

        var reply = await Client.SubmitBatchAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            [SubmitStatus.Accepted, SubmitStatus.Rejected, SubmitStatus.Accepted, SubmitStatus.Rejected, SubmitStatus.Accepted],
            reply.Results.Select(result => result.Status));
        Assert.Equal((3, 0, 2, 0), (reply.Accepted, reply.Duplicates, reply.Rejected, reply.Unavailable));
        Assert.Equal(request.Items.Select(item => TestRequests.EventOf(item).Envelope.EventId), reply.Results.Select(result => result.EventId));
        Assert.Equal(["transaction.amount", "transaction.currency"], reply.Results[1].Violations.Select(v => v.Field).Order());
        Assert.Equal(["outcome.envelope.entity_key"], reply.Results[3].Violations.Select(v => v.Field));
        Assert.All(reply.Results.Where(r => r.Status == SubmitStatus.Accepted), r => Assert.Empty(r.Violations));

        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.LoanApplications, application.Application.Envelope.EventId));
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.Transactions, transaction.Transaction.Envelope.EventId));
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.Repayments, repayment.Repayment.Envelope.EventId));
        Assert.Equal(0, PublishedEvents.CountAcrossRawTopics(fixture.BootstrapServers, badTransaction.Transaction.Envelope.EventId));
        Assert.Equal(0, PublishedEvents.CountAcrossRawTopics(fixture.BootstrapServers, badOutcome.Outcome.Envelope.EventId));
    }

    [Fact]
    public async Task A_customers_events_keep_the_batch_order_on_the_partition()
    {
        var customer = TestRequests.NewCustomer();
        var transactions = Enumerable.Range(0, 50).Select(_ => TestRequests.Transaction(customer)).ToList();

        var reply = await Client.SubmitBatchAsync(new SubmitBatchRequest { Items = { transactions } }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(50, reply.Accepted);
        var published = TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.Transactions.Name)
            .Where(record => TopicReader.Key(record) == customer)
            .OrderBy(record => record.Offset.Value)
            .Select(record => TopicReader.Header(record, Messaging.MessageHeaders.EventId));
        Assert.Equal(transactions.Select(t => t.Transaction.Envelope.EventId), published);
    }

    [Fact]
    public async Task The_same_event_twice_in_one_batch_is_published_once()
    {
        var transaction = TestRequests.Transaction();
        var conflicting = transaction.Clone();
        conflicting.Transaction.Amount = -999;

        var reply = await Client.SubmitBatchAsync(
            new SubmitBatchRequest { Items = { transaction, transaction.Clone(), conflicting } },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([SubmitStatus.Accepted, SubmitStatus.Duplicate, SubmitStatus.Rejected], reply.Results.Select(r => r.Status));
        Assert.Equal("transaction.envelope.event_id", Assert.Single(reply.Results[2].Violations).Field);
        Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.Transactions, transaction.Transaction.Envelope.EventId));
    }

    [Fact]
    public async Task Empty_batch_is_answered_with_no_results()
    {
        var reply = await Client.SubmitBatchAsync(new SubmitBatchRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(reply.Results);
    }

    [Fact]
    public async Task Oversized_batch_fails_as_a_whole_naming_items()
    {
        await using var small = await IngestionServiceHost.StartAsync(fixture.BootstrapServers, fixture.DedupKeyPrefix, provisionTopics: false,
            settings: new Dictionary<string, string?> { ["Ingestion:MaxBatchSize"] = "3" });
        var items = Enumerable.Range(0, 4).Select(_ => TestRequests.Transaction()).ToList();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            small.Client.SubmitBatchAsync(new SubmitBatchRequest { Items = { items } }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("items: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("items", Assert.Single(FieldViolations.Of(error)).Field);
        Assert.All(items, item => Assert.Equal(0, PublishedEvents.CountAcrossRawTopics(fixture.BootstrapServers, item.Transaction.Envelope.EventId)));
    }
}
