using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.DataImport;
using CreditRisk.FeatureStore;
using CreditRisk.Scenario;

namespace CreditRisk.Scenario.Tests;

public sealed class TrafficSourceTests
{
    private static readonly IReadOnlyList<CreditDataRow> Rows = [.. CreditDataCsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv"))];
    private static readonly ShiftSettings Shift = new();

    private static TrafficSource Source(string runTag = "t1", int seed = 7) => new(Rows, Shift, seed, runTag);

    [Fact]
    public void The_same_seed_gives_the_same_applications_and_a_new_run_tag_new_application_ids()
    {
        var first = Source().Get(42, shifted: true);
        var again = Source().Get(42, shifted: true);
        var otherRun = Source("t2").Get(42, shifted: true);

        Assert.Equal(first, again);
        Assert.NotEqual(first.ApplicationId, otherRun.ApplicationId);
        Assert.Equal(first.Application, otherRun.Application);
        Assert.Equal(first.CustomerId, otherRun.CustomerId);
    }

    [Fact]
    public void Customers_are_the_datasets_customers_applying_again()
    {
        var known = Rows.Select(row => ApplicationSynthesiser.CustomerId(row.RowNumber)).ToHashSet();
        var source = Source();

        Assert.All(Enumerable.Range(0, 500), index => Assert.Contains(source.Get(index, shifted: false).CustomerId, known));
    }

    [Fact]
    public void The_first_population_keeps_its_rows_as_they_are_and_has_no_outcome_yet()
    {
        var source = Source();
        foreach (var index in Enumerable.Range(0, 500))
        {
            var application = source.Get(index, shifted: false);
            var row = RowOf(application);
            Assert.Equal(CreditDataMapper.ToApplication(row, out _), application.Application);
            Assert.False(application.Shifted);
            Assert.Null(application.SimulatedOutcome);
        }
    }

    [Fact]
    public void The_shifted_population_earns_less_borrows_more_and_includes_platform_workers()
    {
        var source = Source();
        var shifted = Enumerable.Range(0, 5_000).Select(index => (Before: source.Get(index, shifted: false), After: source.Get(index, shifted: true))).ToList();

        foreach (var (before, after) in shifted)
        {
            Assert.Equal(before.CustomerId, after.CustomerId);
            Assert.Equal(Math.Round(before.Application.Amount * Shift.AmountFactor), after.Application.Amount);
            Assert.True(after.Application.Price >= after.Application.Amount);
            if (before.Application.HasIncome)
            {
                Assert.Equal(Math.Round(before.Application.Income * Shift.IncomeFactor), after.Application.Income);
            }
            Assert.True(after.Application.Job == before.Application.Job || after.Application.Job == JobType.Platform);
        }
        var platformShare = shifted.Count(pair => pair.After.Application.Job == JobType.Platform) / (double)shifted.Count;
        Assert.InRange(platformShare, Shift.PlatformShare - 0.03, Shift.PlatformShare + 0.03);
    }

    [Fact]
    public void Shifted_outcomes_follow_the_source_row_except_for_platform_workers_who_default_more()
    {
        var source = Source();
        var shifted = Enumerable.Range(0, 5_000).Select(index => source.Get(index, shifted: true)).ToList();

        Assert.All(shifted, application => Assert.NotNull(application.SimulatedOutcome));
        foreach (var application in shifted.Where(application => application.Application.Job != JobType.Platform))
        {
            var expected = RowOf(application).Defaulted!.Value ? LoanOutcome.Defaulted : LoanOutcome.Repaid;
            Assert.Equal(expected, application.SimulatedOutcome);
        }
        var platform = shifted.Where(application => application.Application.Job == JobType.Platform).ToList();
        var platformDefaultRate = platform.Count(application => application.SimulatedOutcome == LoanOutcome.Defaulted) / (double)platform.Count;
        Assert.InRange(platformDefaultRate, Shift.PlatformDefaultRate - 0.05, Shift.PlatformDefaultRate + 0.05);
    }

    [Fact]
    public void Platform_work_is_a_job_category_of_its_own_for_the_features()
    {
        var application = Source().Get(0, shifted: false).Application.Clone();
        application.Job = JobType.Platform;

        Assert.Equal("platform", ApplicationFeatures.Compute(application)["job"].StringValue);
    }

    /// <summary>The dataset row an application comes from: its customer's row.</summary>
    private static CreditDataRow RowOf(ScenarioApplication application) =>
        Rows.Single(row => ApplicationSynthesiser.CustomerId(row.RowNumber) == application.CustomerId);
}
