using CreditRisk.Contracts.Events.V1;
using Npgsql;

namespace CreditRisk.Training.Labels;

/// <summary>
/// The labels in <c>training.loan_outcomes</c>: every outcome received, once per event id. The label of an application
/// at a cut-off is its outcome with the latest known time not after the cut-off (ties: the later recorded, then the
/// greater event id), so a later, different outcome corrects the label from its known time on without erasing history.
/// </summary>
public sealed class LabelStore(NpgsqlDataSource database)
{
    // Each application's outcome in effect at $1; $2 also drops outcomes recorded after $1 (backfilled later).
    private const string LabelsAtCutoff = """
        SELECT DISTINCT ON (application_id) customer_id, application_id, application_time, outcome, known_at, recorded_at
        FROM training.loan_outcomes
        WHERE known_at <= $1 AND (NOT $2 OR recorded_at <= $1)
        ORDER BY application_id, known_at DESC, recorded_at DESC, event_id DESC
        """;

    /// <summary>Keeps <paramref name="fact"/>; false when its event id was already kept (a redelivery), which changes nothing.</summary>
    public async Task<bool> RecordAsync(LoanOutcomeFact fact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fact);
        await using var command = database.CreateCommand("""
            INSERT INTO training.loan_outcomes
                (event_id, application_id, customer_id, loan_id, outcome, application_time, known_at, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (event_id) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = fact.EventId });
        command.Parameters.Add(new() { Value = fact.ApplicationId });
        command.Parameters.Add(new() { Value = fact.CustomerId });
        command.Parameters.Add(new() { Value = fact.LoanId });
        command.Parameters.Add(new() { Value = StoredName(fact.Outcome) });
        command.Parameters.Add(new() { Value = fact.ApplicationTime.UtcDateTime });
        command.Parameters.Add(new() { Value = fact.KnownAt.UtcDateTime });
        command.Parameters.Add(new() { Value = fact.RecordedAt.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The labels known by <paramref name="cutoff"/>, one per application, with the counts by outcome. With
    /// <paramref name="excludeRecordedAfterCutoff"/>, an outcome the platform recorded only after the cut-off is not
    /// known yet either, so a run repeated later sees the same labels.
    /// </summary>
    public async Task<LabelSet> LabelsKnownByAsync(DateTimeOffset cutoff, bool excludeRecordedAfterCutoff = false, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(LabelsAtCutoff);
        command.Parameters.Add(new() { Value = cutoff.UtcDateTime });
        command.Parameters.Add(new() { Value = excludeRecordedAfterCutoff });
        var rows = new List<LabelRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new LabelRow(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    OutcomeOf(reader.GetString(3)),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }
        var counts = rows.GroupBy(row => row.Outcome).ToDictionary(group => group.Key, group => group.Count());
        return new LabelSet(cutoff, rows, counts);
    }

    private static string StoredName(LoanOutcome outcome) => outcome switch
    {
        LoanOutcome.Repaid => "repaid",
        LoanOutcome.Defaulted => "defaulted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "only a repaid or defaulted loan is a label"),
    };

    private static LoanOutcome OutcomeOf(string stored) => stored switch
    {
        "repaid" => LoanOutcome.Repaid,
        "defaulted" => LoanOutcome.Defaulted,
        _ => throw new InvalidOperationException($"training.loan_outcomes holds an unknown outcome '{stored}'"),
    };
}
