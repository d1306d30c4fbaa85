using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Ingestion.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Messaging;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CreditRisk.Ingestion.Tests;

public sealed class SubmitTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private IngestionService.IngestionServiceClient Client => fixture.Service.Client;

    public static TheoryData<string> Kinds => ["application", "transaction", "repayment", "outcome"];

    private static SubmitRequest ValidRequest(string kind) => kind switch
    {
        "application" => TestRequests.Application(),
        "transaction" => TestRequests.Transaction(),
        "repayment" => TestRequests.Repayment(),
        _ => TestRequests.Outcome(),
    };

    private static TopicDefinition TopicOf(string kind) => kind switch
    {
        "application" => TopicCatalogue.LoanApplications,
        "transaction" => TopicCatalogue.Transactions,
        "repayment" => TopicCatalogue.Repayments,
        _ => TopicCatalogue.LoanOutcomes,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Valid_event_is_published_once_to_its_topic_keyed_by_customer(string kind)
    {
        var request = ValidRequest(kind);
        var submitted = TestRequests.EventOf(request);

        var result = await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SubmitStatus.Accepted, result.Status);
        Assert.Equal(submitted.Envelope.EventId, result.EventId);
        var record = Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicOf(kind), submitted.Envelope.EventId));
        Assert.Equal(submitted.Envelope.EntityKey, TopicReader.Key(record));
        Assert.Equal(submitted.Descriptor.FullName, TopicReader.Header(record, MessageHeaders.MessageType));
        // Nowhere else.
        Assert.Equal(1, PublishedEvents.CountAcrossRawTopics(fixture.BootstrapServers, submitted.Envelope.EventId));
    }

    [Fact]
    public async Task Service_stamps_recorded_time_and_default_source_and_keeps_the_callers_source()
    {
        var anonymous = TestRequests.Application();
        var named = TestRequests.Application();
        named.Application.Envelope.Source = "loan-origination";
        // A caller's recorded time is not trusted: the platform records when it recorded.
        named.Application.Envelope.RecordedTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await Client.SubmitAsync(anonymous, cancellationToken: TestContext.Current.CancellationToken);
        await Client.SubmitAsync(named, cancellationToken: TestContext.Current.CancellationToken);

        var records = TopicReader.ReadAll(fixture.BootstrapServers, TopicCatalogue.LoanApplications.Name)
            .Select(TopicReader.Parse<LoanApplicationSubmitted>).ToList();
        var anonymousPublished = Assert.Single(records, e => e.Envelope.EventId == anonymous.Application.Envelope.EventId);
        var namedPublished = Assert.Single(records, e => e.Envelope.EventId == named.Application.Envelope.EventId);
        Assert.Equal("ingestion", anonymousPublished.Envelope.Source);
        Assert.Equal("loan-origination", namedPublished.Envelope.Source);
        foreach (var published in new[] { anonymousPublished, namedPublished })
        {
            var recorded = published.Envelope.RecordedTime.ToDateTimeOffset();
            Assert.InRange(recorded, before, DateTimeOffset.UtcNow.AddSeconds(1));
        }
        // Everything else arrives as sent.
        var expected = anonymous.Application.Clone();
        expected.Envelope.Source = "ingestion";
        expected.Envelope.RecordedTime = anonymousPublished.Envelope.RecordedTime;
        Assert.Equal(expected, anonymousPublished);
    }

    /// <summary>One bad field per case: (request builder, the field the error must name).</summary>
    private static readonly Dictionary<string, (Func<SubmitRequest> Build, string Field)> BadInputs = new()
    {
        ["no event"] = (() => new SubmitRequest(), "event"),
        ["no envelope"] = (() => With(TestRequests.Application(), r => r.Application.Envelope = null), "application.envelope"),
        ["empty event id"] = (() => With(TestRequests.Application(), r => r.Application.Envelope.EventId = ""), "application.envelope.event_id"),
        ["event id not a UUID"] = (() => With(TestRequests.Application(), r => r.Application.Envelope.EventId = "order-17"), "application.envelope.event_id"),
        ["entity key is not the customer"] = (() => With(TestRequests.Application(), r => r.Application.Envelope.EntityKey = "someone-else"), "application.envelope.entity_key"),
        ["empty entity key"] = (() => With(TestRequests.Transaction(), r => r.Transaction.Envelope.EntityKey = ""), "transaction.envelope.entity_key"),
        ["no event time"] = (() => With(TestRequests.Application(), r => r.Application.Envelope.EventTime = null), "application.envelope.event_time"),
        ["event time a day ahead"] = (() => With(TestRequests.Transaction(), r => r.Transaction.Envelope.EventTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1))), "transaction.envelope.event_time"),
        ["event time in 1970"] = (() => With(TestRequests.Transaction(), r => r.Transaction.Envelope.EventTime = new Timestamp()), "transaction.envelope.event_time"),
        ["no schema version"] = (() => With(TestRequests.Application(), r => r.Application.Envelope.SchemaVersion = 0), "application.envelope.schema_version"),
        ["unsupported schema version"] = (() => With(TestRequests.Outcome(), r => r.Outcome.Envelope.SchemaVersion = 99), "outcome.envelope.schema_version"),
        ["no application id"] = (() => With(TestRequests.Application(), r => r.Application.ApplicationId = ""), "application.application_id"),
        ["customer id with spaces"] = (() => With(TestRequests.Application(), r => { r.Application.CustomerId = "cust 1"; r.Application.Envelope.EntityKey = "cust 1"; }), "application.customer_id"),
        ["no application body"] = (() => With(TestRequests.Application(), r => r.Application.Application = null), "application.application"),
        ["zero amount"] = (() => With(TestRequests.Application(), r => r.Application.Application.Amount = 0), "application.application.amount"),
        ["negative amount"] = (() => With(TestRequests.Application(), r => r.Application.Application.Amount = -5), "application.application.amount"),
        ["NaN amount"] = (() => With(TestRequests.Application(), r => r.Application.Application.Amount = double.NaN), "application.application.amount"),
        ["zero term"] = (() => With(TestRequests.Application(), r => r.Application.Application.TermMonths = 0), "application.application.term_months"),
        ["zero price"] = (() => With(TestRequests.Application(), r => r.Application.Application.Price = 0), "application.application.price"),
        ["negative income"] = (() => With(TestRequests.Application(), r => r.Application.Application.Income = -1), "application.application.income"),
        ["negative expenses"] = (() => With(TestRequests.Application(), r => r.Application.Application.Expenses = -1), "application.application.expenses"),
        ["negative debt"] = (() => With(TestRequests.Application(), r => r.Application.Application.Debt = -1), "application.application.debt"),
        ["under-age applicant"] = (() => With(TestRequests.Application(), r => r.Application.Application.AgeYears = 12), "application.application.age_years"),
        ["negative seniority"] = (() => With(TestRequests.Application(), r => r.Application.Application.SeniorityYears = -1), "application.application.seniority_years"),
        ["unknown home"] = (() => With(TestRequests.Application(), r => r.Application.Application.Home = (HomeOwnership)99), "application.application.home"),
        ["no transaction id"] = (() => With(TestRequests.Transaction(), r => r.Transaction.TransactionId = ""), "transaction.transaction_id"),
        ["zero transaction amount"] = (() => With(TestRequests.Transaction(), r => r.Transaction.Amount = 0), "transaction.amount"),
        ["lower-case currency"] = (() => With(TestRequests.Transaction(), r => r.Transaction.Currency = "eur"), "transaction.currency"),
        ["no category"] = (() => With(TestRequests.Transaction(), r => r.Transaction.Category = ""), "transaction.category"),
        ["no loan id"] = (() => With(TestRequests.Repayment(), r => r.Repayment.LoanId = ""), "repayment.loan_id"),
        ["no due date"] = (() => With(TestRequests.Repayment(), r => r.Repayment.DueDate = null), "repayment.due_date"),
        ["paid after the event"] = (() => With(TestRequests.Repayment(), r =>
        {
            r.Repayment.Envelope.EventTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2));
            r.Repayment.PaidDate = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1));
        }), "repayment.paid_date"),
        ["zero amount due"] = (() => With(TestRequests.Repayment(), r => r.Repayment.AmountDue = 0), "repayment.amount_due"),
        ["negative days past due"] = (() => With(TestRequests.Repayment(), r => r.Repayment.DaysPastDue = -1), "repayment.days_past_due"),
        ["unspecified outcome"] = (() => With(TestRequests.Outcome(), r => r.Outcome.Outcome = LoanOutcome.Unspecified), "outcome.outcome"),
        ["no application time"] = (() => With(TestRequests.Outcome(), r => r.Outcome.ApplicationTime = null), "outcome.application_time"),
        ["applied after the outcome"] = (() => With(TestRequests.Outcome(), r => r.Outcome.ApplicationTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow)), "outcome.application_time"),
        ["no outcome customer"] = (() => With(TestRequests.Outcome(), r => r.Outcome.CustomerId = ""), "outcome.customer_id"),
    };

    public static TheoryData<string> BadInputCases => new(BadInputs.Keys);

    [Theory]
    [MemberData(nameof(BadInputCases))]
    public async Task Each_bad_field_fails_with_invalid_argument_naming_it(string badInput)
    {
        var (build, field) = BadInputs[badInput];
        var request = build();

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field + ": ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(BadRequestOf(error).FieldViolations, violation => violation.Field == field);
        if (request.EventCase != SubmitRequest.EventOneofCase.None && TestRequests.EventOf(request).Envelope?.EventId is { Length: > 0 } eventId)
        {
            Assert.Equal(0, PublishedEvents.CountAcrossRawTopics(fixture.BootstrapServers, eventId));
        }
    }

    [Fact]
    public async Task Every_bad_field_is_named_in_one_error()
    {
        var request = TestRequests.Application();
        request.Application.Envelope.EventId = "not-a-uuid";
        request.Application.Application.Amount = -1;
        request.Application.Application.AgeYears = 7;
        request.Application.ApplicationId = "";

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        string[] fields = ["application.envelope.event_id", "application.application.amount", "application.application.age_years", "application.application_id"];
        Assert.Equal(fields.Order(), BadRequestOf(error).FieldViolations.Select(v => v.Field).Order());
        Assert.All(fields, field => Assert.Contains(field + ": ", error.Status.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_values_of_optional_fields_are_accepted_and_stay_unset()
    {
        var request = TestRequests.Application();
        request.Application.Application.ClearIncome();
        request.Application.Application.ClearAssets();
        request.Application.Application.ClearDebt();
        request.Application.Application.Home = HomeOwnership.Unspecified;

        var result = await Client.SubmitAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SubmitStatus.Accepted, result.Status);
        var published = TopicReader.Parse<LoanApplicationSubmitted>(
            Assert.Single(PublishedEvents.WithEventId(fixture.BootstrapServers, TopicCatalogue.LoanApplications, result.EventId)));
        Assert.False(published.Application.HasIncome);
        Assert.False(published.Application.HasAssets);
        Assert.False(published.Application.HasDebt);
    }

    private static BadRequest BadRequestOf(RpcException error)
    {
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        return Assert.Single(status.Details).Unpack<BadRequest>();
    }

    private static SubmitRequest With(SubmitRequest request, Action<SubmitRequest> change)
    {
        change(request);
        return request;
    }
}
