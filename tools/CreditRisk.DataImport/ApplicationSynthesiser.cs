using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.DataImport;

/// <summary>
/// Gives a credit_data row its identity and timeline: stable customer/application/loan ids from the
/// row number, a seeded submission time, and the outcome (label) known 6–12 months later.
/// </summary>
public sealed class ApplicationSynthesiser(SynthesisSettings settings)
{
    private const double AverageDaysPerMonth = 30.436875;

    public static string CustomerId(int row) => $"cust-{row:D5}";

    public static string ApplicationId(int row) => $"app-{row:D5}";

    public static string LoanId(int row) => $"loan-{row:D5}";

    public (LoanApplicationSubmitted Application, LoanOutcomeRecorded? Outcome) Synthesise(CreditDataRow row, LoanApplication application)
    {
        var random = new SeededRandom(settings.Seed, row.RowNumber, "application");
        var customerId = CustomerId(row.RowNumber);
        // Ends a full maximum outcome delay before AsOf, so the latest outcome is known by AsOf.
        var windowEnd = settings.AsOf.AddDays(-settings.MaxOutcomeDelayMonths * AverageDaysPerMonth);
        var windowStart = windowEnd.AddMonths(-settings.ApplicationMonths);
        var submittedAt = windowStart.AddSeconds(Math.Floor(random.Uniform(0, (windowEnd - windowStart).TotalSeconds)));

        var submitted = new LoanApplicationSubmitted
        {
            Envelope = Envelope($"{row.RowNumber}/application", customerId, submittedAt),
            ApplicationId = ApplicationId(row.RowNumber),
            CustomerId = customerId,
            Application = application,
        };

        LoanOutcomeRecorded? outcome = null;
        if (row.Defaulted is { } defaulted)
        {
            var delayDays = random.Uniform(settings.MinOutcomeDelayMonths * AverageDaysPerMonth, settings.MaxOutcomeDelayMonths * AverageDaysPerMonth);
            var knownAt = submittedAt.AddSeconds(Math.Floor(delayDays * 86_400));
            outcome = new LoanOutcomeRecorded
            {
                Envelope = Envelope($"{row.RowNumber}/outcome", customerId, knownAt),
                LoanId = LoanId(row.RowNumber),
                ApplicationId = ApplicationId(row.RowNumber),
                CustomerId = customerId,
                Outcome = defaulted ? LoanOutcome.Defaulted : LoanOutcome.Repaid,
                ApplicationTime = Timestamp.FromDateTimeOffset(submittedAt),
            };
        }
        return (submitted, outcome);
    }

    private EventEnvelope Envelope(string name, string customerId, DateTimeOffset eventTime) => new()
    {
        EventId = DeterministicIds.EventId($"{settings.IdScope}/{name}"),
        EntityKey = customerId,
        EventTime = Timestamp.FromDateTimeOffset(eventTime),
        // Recorded as it happened: the history is loaded as the source system knew it then.
        RecordedTime = Timestamp.FromDateTimeOffset(eventTime),
        Source = settings.Source,
        SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
    };
}
