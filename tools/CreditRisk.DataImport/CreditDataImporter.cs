using System.Diagnostics;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;

namespace CreditRisk.DataImport;

/// <summary>
/// Imports credit_data rows: synthesises every customer's events, orders all of them by event time
/// (so a stream processor sees each partition roughly in event-time order, not months "late"), and
/// submits them in batches, one at a time to keep that order; items answered UNAVAILABLE are retried.
/// </summary>
public sealed class CreditDataImporter(SynthesisSettings settings, int batchSize = 1_000, int maxAttempts = 5)
{
    public async Task<ImportSummary> ImportAsync(IEnumerable<CreditDataRow> rows, GrpcImportTarget target, TextWriter? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var summary = new ImportSummary();
        var synthesiser = new CreditDataSynthesiser(settings);
        var events = new List<IIntegrationEvent>();
        foreach (var row in rows)
        {
            summary.RowsRead++;
            var customer = synthesiser.Synthesise(row, out var problem);
            if (customer is null)
            {
                summary.RowsSkipped++;
                summary.Problems.Add(problem!);
                continue;
            }
            events.AddRange(customer.Events);
        }
        // Stable sort: same-time events of a customer keep their causal order (application before outcome).
        var ordered = events.OrderBy(@event => @event.Envelope.EventTime.ToDateTimeOffset()).ToList();
        foreach (var @event in ordered)
        {
            summary.For(KindOf(@event)).Generated++;
        }
        progress?.WriteLine($"synthesised {ordered.Count} events from {summary.RowsRead - summary.RowsSkipped} rows; submitting to {target.Description}");

        var submitted = 0;
        foreach (var chunk in ordered.Chunk(batchSize))
        {
            await SubmitWithRetriesAsync(chunk, target, summary, cancellationToken);
            submitted += chunk.Length;
            if (progress is not null && (submitted / batchSize) % 50 == 0)
            {
                progress.WriteLine($"  {submitted}/{ordered.Count} events submitted");
            }
        }
        summary.Elapsed = stopwatch.Elapsed;
        return summary;
    }

    private async Task SubmitWithRetriesAsync(IIntegrationEvent[] chunk, GrpcImportTarget target, ImportSummary summary, CancellationToken cancellationToken)
    {
        IReadOnlyList<IIntegrationEvent> pending = chunk;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var results = await target.SubmitAsync([.. pending.Select(ToRequest)], cancellationToken);
            var retry = new List<IIntegrationEvent>();
            for (var i = 0; i < pending.Count; i++)
            {
                var counts = summary.For(KindOf(pending[i]));
                switch (results[i].Status)
                {
                    case SubmitStatus.Accepted: counts.Accepted++; break;
                    case SubmitStatus.Duplicate: counts.Duplicate++; break;
                    case SubmitStatus.Rejected:
                        counts.Rejected++;
                        if (summary.Problems.Count < 20)
                        {
                            summary.Problems.Add($"{KindOf(pending[i])} {results[i].EventId}: " + string.Join("; ", results[i].Violations.Select(v => $"{v.Field}: {v.Description}")));
                        }
                        break;
                    default:
                        if (attempt < maxAttempts)
                        {
                            retry.Add(pending[i]);
                        }
                        else
                        {
                            counts.Unavailable++;
                        }
                        break;
                }
            }
            if (retry.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
            pending = retry;
        }
    }

    /// <summary>A historical load: each event keeps the recorded time the synthesised history gives it.</summary>
    public static SubmitRequest ToRequest(IIntegrationEvent @event) => @event switch
    {
        LoanApplicationSubmitted application => new SubmitRequest { Application = application, Historical = true },
        TransactionRecorded transaction => new SubmitRequest { Transaction = transaction, Historical = true },
        RepaymentRecorded repayment => new SubmitRequest { Repayment = repayment, Historical = true },
        LoanOutcomeRecorded outcome => new SubmitRequest { Outcome = outcome, Historical = true },
        _ => throw new ArgumentException($"{@event.Descriptor.FullName} is not submitted through ingestion", nameof(@event)),
    };

    public static string KindOf(IIntegrationEvent @event) => @event switch
    {
        LoanApplicationSubmitted => "application",
        TransactionRecorded => "transaction",
        RepaymentRecorded => "repayment",
        LoanOutcomeRecorded => "outcome",
        _ => @event.Descriptor.Name,
    };
}
