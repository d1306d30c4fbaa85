using CreditRisk.Contracts.Events.V1;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

/// <summary>The label store's cut-off query on a database of its own (the counts cover every label in it).</summary>
public sealed class LabelStoreTests(TrainingFixture training) : IClassFixture<TrainingFixture>
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static LoanOutcomeFact Fact(string application, LoanOutcome outcome, DateTimeOffset knownAt, DateTimeOffset? recordedAt = null) => new(
        Guid.NewGuid().ToString(), application, "C-" + application, "L-" + application, outcome, LoanOutcomes.ApplicationTime, knownAt, recordedAt ?? knownAt);

    [Fact]
    public async Task Labels_known_by_a_cut_off_come_one_per_application_with_counts_by_class()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(await training.Labels.RecordAsync(Fact("A-1", LoanOutcome.Repaid, Start), ct));
        Assert.True(await training.Labels.RecordAsync(Fact("A-2", LoanOutcome.Defaulted, Start.AddDays(1)), ct));
        Assert.True(await training.Labels.RecordAsync(Fact("A-3", LoanOutcome.Repaid, Start.AddDays(2)), ct));
        // A correction of A-1 after the first cut-off, and an outcome known only after both.
        Assert.True(await training.Labels.RecordAsync(Fact("A-1", LoanOutcome.Defaulted, Start.AddDays(3)), ct));
        Assert.True(await training.Labels.RecordAsync(Fact("A-4", LoanOutcome.Defaulted, Start.AddDays(9)), ct));

        var first = await training.Labels.LabelsKnownByAsync(Start.AddDays(2), cancellationToken: ct);
        var second = await training.Labels.LabelsKnownByAsync(Start.AddDays(5), cancellationToken: ct);

        Assert.Equal(["A-1", "A-2", "A-3"], first.Rows.Select(row => row.ApplicationId));
        Assert.Equal(2, first.CountOf(LoanOutcome.Repaid));
        Assert.Equal(1, first.CountOf(LoanOutcome.Defaulted));
        Assert.Equal(["A-1", "A-2", "A-3"], second.Rows.Select(row => row.ApplicationId));
        Assert.Equal(1, second.CountOf(LoanOutcome.Repaid));
        Assert.Equal(2, second.CountOf(LoanOutcome.Defaulted));
        Assert.Equal([0, 1, 0], first.Rows.Select(row => row.Label));
    }

    [Fact]
    public async Task A_cut_off_can_also_exclude_outcomes_recorded_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var cutoff = Start.AddYears(1);
        var backfilled = Fact("B-" + Guid.NewGuid().ToString("N"), LoanOutcome.Defaulted, cutoff.AddDays(-1), recordedAt: cutoff.AddDays(1));
        await training.Labels.RecordAsync(backfilled, ct);

        var byEventTime = await training.Labels.LabelsKnownByAsync(cutoff, cancellationToken: ct);
        var asRecorded = await training.Labels.LabelsKnownByAsync(cutoff, excludeRecordedAfterCutoff: true, ct);

        Assert.Contains(byEventTime.Rows, row => row.ApplicationId == backfilled.ApplicationId);
        Assert.DoesNotContain(asRecorded.Rows, row => row.ApplicationId == backfilled.ApplicationId);
    }

    [Fact]
    public async Task Recording_an_event_id_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var fact = Fact("D-" + Guid.NewGuid().ToString("N"), LoanOutcome.Repaid, Start.AddYears(2));

        Assert.True(await training.Labels.RecordAsync(fact, ct));
        Assert.False(await training.Labels.RecordAsync(fact with { Outcome = LoanOutcome.Defaulted }, ct));

        Assert.Equal(1, await training.OutcomeRowsOfAsync(fact.ApplicationId));
        var labels = await training.Labels.LabelsKnownByAsync(TrainingFixture.EndOfTime, cancellationToken: ct);
        Assert.Equal(LoanOutcome.Repaid, labels.Rows.Single(row => row.ApplicationId == fact.ApplicationId).Outcome);
    }
}
