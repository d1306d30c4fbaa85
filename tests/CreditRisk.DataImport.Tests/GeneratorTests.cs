using CreditRisk.Contracts.Events.V1;
using CreditRisk.DataImport.Tests.Support;
using CreditRisk.Ingestion.Ingestion;
using CreditRisk.Ingestion.Validation;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CreditRisk.DataImport.Tests;

public sealed class GeneratorTests
{
    private static readonly SynthesisSettings Settings = new() { Seed = 42, AsOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) };

    private static readonly Lazy<IReadOnlyList<SynthesisedCustomer>> AllCustomers = new(() => Synthesise(Settings, Dataset.Rows));

    private static IReadOnlyList<SynthesisedCustomer> Synthesise(SynthesisSettings settings, IEnumerable<CreditDataRow> rows)
    {
        var synthesiser = new CreditDataSynthesiser(settings);
        return [.. rows.Select(row => synthesiser.Synthesise(row, out _)!)];
    }

    private static byte[] Bytes(SynthesisedCustomer customer) => [.. customer.Events.SelectMany(@event => @event.ToByteArray())];

    [Fact]
    public void Same_seed_gives_identical_events_and_another_seed_different_ones()
    {
        var rows = Dataset.Rows.Take(300).ToList();

        var first = Synthesise(Settings, rows);
        var again = Synthesise(Settings, rows);
        var otherSeed = Synthesise(Settings with { Seed = 43 }, rows);

        Assert.Equal(first.Select(Bytes), again.Select(Bytes));
        Assert.True(first.Zip(otherSeed).Count(pair => !Bytes(pair.First).SequenceEqual(Bytes(pair.Second))) > 290, "another seed changes the customers");
        // A row's events do not depend on the rows imported with it (--limit).
        var alone = Synthesise(Settings, [rows[199]]).Single();
        Assert.Equal(Bytes(first[199]), Bytes(alone));
    }

    [Fact]
    public void Ids_are_stable_and_event_ids_unique_uuids()
    {
        var customers = AllCustomers.Value;

        Assert.Equal("cust-00001", customers[0].CustomerId);
        Assert.Equal("app-00001", customers[0].Application.ApplicationId);
        var eventIds = customers.SelectMany(customer => customer.Events).Select(@event => @event.Envelope.EventId).ToList();
        Assert.Equal(eventIds.Count, eventIds.Distinct().Count());
        Assert.All(eventIds.Take(1000), id => Assert.True(Guid.TryParseExact(id, "D", out _)));
    }

    [Fact]
    public void Timeline_behaviour_then_application_then_outcome_six_to_twelve_months_later_all_before_as_of()
    {
        var customers = AllCustomers.Value;

        foreach (var customer in customers)
        {
            var applied = customer.ApplicationTime;
            Assert.InRange(applied, Settings.AsOf.AddMonths(-37), Settings.AsOf.AddMonths(-12));
            Assert.All(customer.Transactions, t => Assert.InRange(t.Envelope.EventTime.ToDateTimeOffset(), applied.AddDays(-120), applied));
            Assert.All(customer.Repayments, r => Assert.True(r.Envelope.EventTime.ToDateTimeOffset() < applied));
            var outcome = Assert.IsType<LoanOutcomeRecorded>(customer.Outcome);
            var known = outcome.Envelope.EventTime.ToDateTimeOffset();
            Assert.InRange((known - applied).TotalDays, 6 * 30.4, 12 * 30.5);
            Assert.True(known <= Settings.AsOf);
            Assert.Equal(applied, outcome.ApplicationTime.ToDateTimeOffset());
            Assert.Equal(customer.Row.Defaulted == true ? LoanOutcome.Defaulted : LoanOutcome.Repaid, outcome.Outcome);
        }
        // Spread over the whole window, not bunched.
        var months = customers.Select(c => (c.ApplicationTime.Year * 12) + c.ApplicationTime.Month).Distinct().Count();
        Assert.InRange(months, 24, 26);
    }

    [Fact]
    public void Every_synthesised_event_passes_the_services_validation()
    {
        var validator = new SubmitRequestValidator(Options.Create(new IngestionOptions()), new FakeTimeProvider(Settings.AsOf.AddHours(1)));

        var violations = AllCustomers.Value
            .SelectMany(customer => customer.Events)
            .SelectMany(@event => validator.Validate(CreditDataImporter.ToRequest(@event)))
            .Select(violation => $"{violation.Field}: {violation.Description}")
            .Distinct()
            .ToList();

        Assert.Empty(violations);
    }

    [Fact]
    public void Defaulters_behave_worse_on_average_but_the_groups_overlap()
    {
        var customers = AllCustomers.Value;
        var bad = customers.Where(c => c.Row.Defaulted == true).Select(Behaviour.Of).ToList();
        var good = customers.Where(c => c.Row.Defaulted == false).Select(Behaviour.Of).ToList();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"late repayments: bad {bad.Average(b => b.LateRepayments):0.00}, good {good.Average(b => b.LateRepayments):0.00}");
        output?.WriteLine($"max days past due: bad {bad.Average(b => b.MaxDaysPastDue):0.00}, good {good.Average(b => b.MaxDaysPastDue):0.00}");
        output?.WriteLine($"gambling+cash advance per customer: bad {bad.Average(b => b.RiskyTransactions):0.00}, good {good.Average(b => b.RiskyTransactions):0.00}");
        output?.WriteLine($"net flow / income (90 days): bad {bad.Average(b => b.NetFlowToIncome):0.000}, good {good.Average(b => b.NetFlowToIncome):0.000}");
        var lateAuc = Auc(bad.Select(b => (double)b.LateRepayments), good.Select(b => (double)b.LateRepayments));
        var flowAuc = Auc(bad.Select(b => -b.NetFlowToIncome), good.Select(b => -b.NetFlowToIncome));
        output?.WriteLine($"AUC late repayments {lateAuc:0.000}, AUC net flow {flowAuc:0.000}");

        // Signal: each behaviour separates the groups by a clear margin.
        Assert.True(bad.Average(b => b.LateRepayments) > 1.3 * good.Average(b => b.LateRepayments), "defaulters pay late more often");
        Assert.True(bad.Average(b => b.MaxDaysPastDue) > 1.3 * good.Average(b => b.MaxDaysPastDue), "defaulters are further past due");
        Assert.True(bad.Average(b => b.RiskyTransactions) > 1.3 * good.Average(b => b.RiskyTransactions), "defaulters gamble and take cash advances more");
        Assert.True(bad.Average(b => b.NetFlowToIncome) < good.Average(b => b.NetFlowToIncome) - 0.05, "defaulters keep less of their income");
        // Noise, not a leak: no single behaviour tells the label, and many customers contradict their group.
        Assert.InRange(lateAuc, 0.55, 0.85);
        Assert.InRange(flowAuc, 0.55, 0.85);
        Assert.True(bad.Count(b => b.LateRepayments == 0) > bad.Count / 5, "many defaulters never paid late before");
        Assert.True(good.Count(b => b.LateRepayments > 0) > good.Count / 5, "many good customers did pay late");
    }

    /// <summary>Probability that a random bad customer scores higher than a random good one (ties count half).</summary>
    private static double Auc(IEnumerable<double> bad, IEnumerable<double> good)
    {
        var goodSorted = good.Order().ToArray();
        double wins = 0;
        var badList = bad.ToList();
        foreach (var score in badList)
        {
            var below = LowerBound(goodSorted, score);
            var notAbove = UpperBound(goodSorted, score);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double)badList.Count * goodSorted.Length);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] < value) low = middle + 1; else high = middle;
        }
        return low;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] <= value) low = middle + 1; else high = middle;
        }
        return low;
    }

    private sealed record Behaviour(int LateRepayments, int MaxDaysPastDue, int RiskyTransactions, double NetFlowToIncome)
    {
        public static Behaviour Of(SynthesisedCustomer customer)
        {
            var since = customer.ApplicationTime.AddDays(-90);
            var recent = customer.Transactions.Where(t => t.Envelope.EventTime.ToDateTimeOffset() >= since).ToList();
            var income = customer.Transactions.Where(t => t.Category == BehaviourGenerator.Salary).Select(t => t.Amount).DefaultIfEmpty(1).Average();
            return new Behaviour(
                customer.Repayments.Count(r => r.DaysPastDue > 0),
                customer.Repayments.Select(r => r.DaysPastDue).DefaultIfEmpty(0).Max(),
                customer.Transactions.Count(t => t.Category is BehaviourGenerator.Gambling or BehaviourGenerator.CashAdvance),
                recent.Sum(t => t.Amount) / (3 * income));
        }
    }
}
