using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.DataImport;

/// <summary>
/// Seeded transactions and repayments of one customer before their application, whose behaviour
/// relates to the outcome — noisily, so behavioural features carry signal without leaking the label.
///
/// Each customer gets a hidden "financial distress" d in [0, 1], drawn around 0.20 for customers who
/// repaid and 0.38 for those who defaulted (standard deviation 0.13, so the groups overlap widely).
/// Everything follows from d: the share of income spent (lower net flow, i.e. lower balances), the
/// chance of gambling and cash-advance transactions, the chance an instalment is late, how late, and
/// whether it stays unpaid. The label itself is never used after d is drawn.
/// </summary>
public sealed class BehaviourGenerator(SynthesisSettings settings)
{
    public const string Salary = "salary";
    public const string Gambling = "gambling";
    public const string CashAdvance = "cash_advance";

    private static readonly string[] DiscretionaryCategories = ["dining", "shopping", "transport", "entertainment", "travel"];

    /// <summary>The hidden distress of a customer; exposed so tests can check the generator's premise.</summary>
    public double Distress(CreditDataRow row)
    {
        var random = new SeededRandom(settings.Seed, row.RowNumber, "distress");
        var mean = row.Defaulted switch
        {
            true => 0.38,
            false => 0.20,
            null => 0.25,
        };
        return Math.Clamp(random.Normal(mean, 0.13), 0.0, 1.0);
    }

    public IReadOnlyList<TransactionRecorded> Transactions(CreditDataRow row, DateTimeOffset applicationTime)
    {
        var random = new SeededRandom(settings.Seed, row.RowNumber, "transactions");
        var distress = Distress(row);
        var customerId = ApplicationSynthesiser.CustomerId(row.RowNumber);
        var income = row.Income is > 0 ? row.Income.Value : (row.Expenses ?? 60) * random.Uniform(1.3, 2.5);
        var irregularIncome = row.Job is "freelance" or "partime" or "others";
        var spendShare = Math.Clamp(0.72 + 0.55 * distress + random.Normal(0, 0.08), 0.4, 1.5);
        var monthlySpend = income * spendShare;
        var housing = row.Home switch
        {
            "rent" or "priv" => "rent",
            "owner" when random.Chance(0.5) => "mortgage",
            _ => null,
        };
        // A few customers gamble heavily; distress makes it likelier.
        var gamblingChance = 0.005 + 0.12 * distress + (random.Chance(0.03 + 0.12 * distress) ? 0.25 : 0.0);
        var cashAdvanceChance = 0.005 + 0.10 * distress;
        var payday = random.Next(1, 29);

        var start = applicationTime.AddDays(-settings.TransactionHistoryDays);
        var events = new List<(DateTimeOffset Time, double Amount, string Category)>();
        for (var month = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero); month < applicationTime; month = month.AddMonths(1))
        {
            var salary = income * (irregularIncome ? random.Uniform(0.6, 1.4) : random.Uniform(0.97, 1.03));
            events.Add((month.AddDays(payday - 1).AddHours(random.Uniform(6, 10)), Math.Round(salary, 2), Salary));
            if (housing is not null)
            {
                events.Add((month.AddDays(random.Next(0, 5)).AddHours(random.Uniform(8, 18)), -Math.Round(monthlySpend * 0.30, 2), housing));
            }
            events.Add((month.AddDays(random.Next(5, 15)).AddHours(random.Uniform(8, 18)), -Math.Round(monthlySpend * 0.07 * random.LogNormalFactor(0.15), 2), "utilities"));

            var groceries = Math.Max(1, random.Poisson(6));
            for (var i = 0; i < groceries; i++)
            {
                events.Add((RandomTimeIn(month, random), -Math.Round(monthlySpend * 0.28 / groceries * random.LogNormalFactor(0.3), 2), "groceries"));
            }
            var discretionary = random.Poisson(5);
            for (var i = 0; i < discretionary; i++)
            {
                var category = random.Chance(gamblingChance) ? Gambling
                    : random.Chance(cashAdvanceChance) ? CashAdvance
                    : DiscretionaryCategories[random.Next(0, DiscretionaryCategories.Length)];
                var share = housing is null ? 0.65 : 0.35;
                events.Add((RandomTimeIn(month, random), -Math.Round(monthlySpend * share / Math.Max(discretionary, 3) * random.LogNormalFactor(0.6), 2), category));
            }
        }

        var transactions = new List<TransactionRecorded>();
        foreach (var (time, amount, category) in events.Where(e => e.Time >= start && e.Time < applicationTime && e.Amount != 0).OrderBy(e => e.Time))
        {
            var index = transactions.Count + 1;
            transactions.Add(new TransactionRecorded
            {
                Envelope = Envelope($"{row.RowNumber}/transaction/{index}", customerId, time),
                TransactionId = $"txn-{row.RowNumber:D5}-{index:D4}",
                CustomerId = customerId,
                Amount = amount,
                Currency = settings.Currency,
                Category = category,
            });
        }
        return transactions;
    }

    public IReadOnlyList<RepaymentRecorded> Repayments(CreditDataRow row, DateTimeOffset applicationTime)
    {
        var random = new SeededRandom(settings.Seed, row.RowNumber, "repayments");
        if (!random.Chance(settings.PriorLoanShare))
        {
            return [];
        }
        var distress = Distress(row);
        var customerId = ApplicationSynthesiser.CustomerId(row.RowNumber);
        var loanId = ApplicationSynthesiser.LoanId(row.RowNumber) + "-prior";
        var income = row.Income is > 0 ? row.Income.Value : (row.Expenses ?? 60) * 1.8;
        var instalment = Math.Round(Math.Max(10, income * random.Uniform(0.05, 0.2)), 2);
        var lateChance = Math.Clamp(0.01 + 0.35 * distress, 0, 0.9);
        var meanDaysLate = 4 + 30 * distress;
        var dueDay = random.Next(1, 29);

        var repayments = new List<RepaymentRecorded>();
        var firstDue = new DateTimeOffset(applicationTime.Year, applicationTime.Month, dueDay, 0, 0, 0, TimeSpan.Zero)
            .AddMonths(-settings.RepaymentHistoryMonths);
        for (var i = 0; i < settings.RepaymentHistoryMonths; i++)
        {
            var due = firstDue.AddMonths(i);
            RepaymentRecorded repayment;
            var index = repayments.Count + 1;
            if (random.Chance(lateChance))
            {
                var daysLate = random.Geometric(meanDaysLate);
                var knownAt = due.AddDays(daysLate).AddHours(random.Uniform(8, 20));
                var unpaid = random.Chance(0.1 + 0.4 * distress);
                repayment = Repayment(row, index, loanId, customerId, due, knownAt, unpaid ? null : knownAt, instalment, unpaid ? 0 : instalment, daysLate);
            }
            else
            {
                var paidAt = due.AddDays(-random.Next(0, 5)).AddHours(random.Uniform(8, 20));
                repayment = Repayment(row, index, loanId, customerId, due, paidAt, paidAt, instalment, instalment, 0);
            }
            if (repayment.Envelope.EventTime.ToDateTimeOffset() < applicationTime)
            {
                repayments.Add(repayment);
            }
        }
        return repayments;
    }

    private RepaymentRecorded Repayment(
        CreditDataRow row, int index, string loanId, string customerId, DateTimeOffset due, DateTimeOffset eventTime,
        DateTimeOffset? paidAt, double amountDue, double amountPaid, int daysPastDue)
    {
        // Whole seconds everywhere, so paid_date and event_time compare as the same instant.
        eventTime = WholeSeconds(eventTime);
        paidAt = paidAt is { } value ? WholeSeconds(value) : null;
        var repayment = new RepaymentRecorded
        {
            Envelope = Envelope($"{row.RowNumber}/repayment/{index}", customerId, eventTime),
            RepaymentId = $"rep-{row.RowNumber:D5}-{index:D2}",
            LoanId = loanId,
            CustomerId = customerId,
            DueDate = Timestamp.FromDateTimeOffset(due),
            AmountDue = amountDue,
            AmountPaid = amountPaid,
            DaysPastDue = daysPastDue,
        };
        if (paidAt is { } paid)
        {
            repayment.PaidDate = Timestamp.FromDateTimeOffset(paid);
        }
        return repayment;
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static DateTimeOffset RandomTimeIn(DateTimeOffset month, SeededRandom random)
    {
        var days = (month.AddMonths(1) - month).TotalDays;
        return month.AddSeconds(Math.Floor(random.Uniform(0, days * 86_400)));
    }

    private EventEnvelope Envelope(string name, string customerId, DateTimeOffset eventTime) => new()
    {
        EventId = DeterministicIds.EventId($"{settings.IdScope}/{name}"),
        EntityKey = customerId,
        EventTime = Timestamp.FromDateTimeOffset(WholeSeconds(eventTime)),
        // Recorded as it happened: the history is loaded as the source system knew it then.
        RecordedTime = Timestamp.FromDateTimeOffset(WholeSeconds(eventTime)),
        Source = settings.Source,
        SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
    };
}
