using System.Text;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging;
using CreditRisk.Testing.Kafka;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

/// <summary>Outcomes published to creditrisk.loan-outcomes.v1 and what the running service makes of them.</summary>
public sealed class LoanOutcomeConsumptionTests(TrainingFixture training) : IClassFixture<TrainingFixture>
{
    private static readonly DateTimeOffset KnownAt = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string Topic = TopicCatalogue.For(LoanOutcomeRecorded.Descriptor).Name;

    [Fact]
    public async Task A_published_outcome_lands_as_a_label_with_its_entity_row_and_known_time()
    {
        var application = LoanOutcomes.NewId("A");
        var outcome = LoanOutcomes.Recorded(application, LoanOutcome.Defaulted, KnownAt);

        await training.Publisher.PublishAsync(outcome, TestContext.Current.CancellationToken);
        await training.WaitForLabelAsync(application, LoanOutcome.Defaulted);

        var row = (await training.Labels.LabelsKnownByAsync(TrainingFixture.EndOfTime, cancellationToken: TestContext.Current.CancellationToken))
            .Rows.Single(row => row.ApplicationId == application);
        Assert.Equal(outcome.CustomerId, row.CustomerId);
        Assert.Equal(LoanOutcomes.ApplicationTime, row.ApplicationTime);
        Assert.Equal(KnownAt, row.KnownAt);
        Assert.Equal(KnownAt.AddSeconds(1), row.RecordedAt);
        Assert.Equal(1, row.Label);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_is_kept_once()
    {
        var customer = LoanOutcomes.NewId("C");
        var application = LoanOutcomes.NewId("A");
        var marker = LoanOutcomes.NewId("A");
        var outcome = LoanOutcomes.Recorded(application, LoanOutcome.Repaid, KnownAt, customer);

        await training.Publisher.PublishAsync(outcome, TestContext.Current.CancellationToken);
        await training.Publisher.PublishAsync(outcome, TestContext.Current.CancellationToken);
        // Same customer, so the same partition: once the marker is in, both deliveries were handled.
        await training.Publisher.PublishAsync(LoanOutcomes.Recorded(marker, LoanOutcome.Repaid, KnownAt, customer), TestContext.Current.CancellationToken);
        await training.WaitForLabelAsync(marker, LoanOutcome.Repaid);

        Assert.Equal(1, await training.OutcomeRowsOfAsync(application));
        var labels = await training.Labels.LabelsKnownByAsync(TrainingFixture.EndOfTime, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(labels.Rows, row => row.ApplicationId == application);
    }

    [Fact]
    public async Task Labels_known_by_a_cut_off_exclude_the_outcomes_known_later()
    {
        var early = LoanOutcomes.NewId("A");
        var late = LoanOutcomes.NewId("A");
        await training.Publisher.PublishAsync(LoanOutcomes.Recorded(early, LoanOutcome.Repaid, KnownAt), TestContext.Current.CancellationToken);
        await training.Publisher.PublishAsync(LoanOutcomes.Recorded(late, LoanOutcome.Defaulted, KnownAt.AddDays(10)), TestContext.Current.CancellationToken);
        await training.WaitForLabelAsync(early, LoanOutcome.Repaid);
        await training.WaitForLabelAsync(late, LoanOutcome.Defaulted);

        var atCutoff = await training.Labels.LabelsKnownByAsync(KnownAt.AddDays(5), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains(atCutoff.Rows, row => row.ApplicationId == early);
        Assert.DoesNotContain(atCutoff.Rows, row => row.ApplicationId == late);
        Assert.All(atCutoff.Rows, row => Assert.True(row.KnownAt <= atCutoff.Cutoff));
    }

    [Fact]
    public async Task A_later_different_outcome_corrects_the_label_from_its_known_time_and_keeps_the_first()
    {
        var customer = LoanOutcomes.NewId("C");
        var application = LoanOutcomes.NewId("A");
        await training.Publisher.PublishAsync(LoanOutcomes.Recorded(application, LoanOutcome.Repaid, KnownAt, customer), TestContext.Current.CancellationToken);
        await training.Publisher.PublishAsync(
            LoanOutcomes.Recorded(application, LoanOutcome.Defaulted, KnownAt.AddDays(30), customer), TestContext.Current.CancellationToken);
        await training.WaitForLabelAsync(application, LoanOutcome.Defaulted);

        var before = await training.Labels.LabelsKnownByAsync(KnownAt.AddDays(1), cancellationToken: TestContext.Current.CancellationToken);
        var after = await training.Labels.LabelsKnownByAsync(KnownAt.AddDays(31), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(LoanOutcome.Repaid, before.Rows.Single(row => row.ApplicationId == application).Outcome);
        var corrected = after.Rows.Single(row => row.ApplicationId == application);
        Assert.Equal(LoanOutcome.Defaulted, corrected.Outcome);
        Assert.Equal(KnownAt.AddDays(30), corrected.KnownAt);
        Assert.Equal(2, await training.OutcomeRowsOfAsync(application));
    }

    [Fact]
    public async Task A_bad_outcome_is_dead_lettered_with_its_reason_and_consumption_goes_on()
    {
        var customer = LoanOutcomes.NewId("C");
        var noApplication = LoanOutcomes.Recorded("ignored", LoanOutcome.Repaid, KnownAt, customer);
        noApplication.ApplicationId = "";
        var unspecified = LoanOutcomes.NewId("A");
        var good = LoanOutcomes.NewId("A");

        await training.Publisher.PublishAsync(noApplication, TestContext.Current.CancellationToken);
        await training.Publisher.PublishAsync(
            LoanOutcomes.Recorded(unspecified, LoanOutcome.Unspecified, KnownAt, customer), TestContext.Current.CancellationToken);
        await training.Publisher.PublishAsync(LoanOutcomes.Recorded(good, LoanOutcome.Repaid, KnownAt, customer), TestContext.Current.CancellationToken);
        await training.WaitForLabelAsync(good, LoanOutcome.Repaid);

        var reasons = TopicReader.ReadAll(training.Broker.BootstrapServers, Topic + TopicDefinition.DeadLetterSuffix)
            .Where(record => record.Key() == customer)
            .Select(record => record.Header(MessageHeaders.DeadLetterReason))
            .ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Contains("application_id", reasons[0], StringComparison.Ordinal);
        Assert.Contains(unspecified, reasons[1], StringComparison.Ordinal);
        Assert.Contains("neither repaid nor defaulted", reasons[1], StringComparison.Ordinal);
        Assert.Equal(0, await training.OutcomeRowsOfAsync(unspecified));
    }
}
