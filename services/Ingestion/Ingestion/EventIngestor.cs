using System.Security.Cryptography;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Ingestion.Idempotency;
using CreditRisk.Ingestion.Validation;
using CreditRisk.Messaging.Publishing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CreditRisk.Ingestion.Ingestion;

/// <summary>
/// The ingestion pipeline shared by the gRPC service and the import command: validate every item,
/// reserve its event id in the dedup store, publish the reserved ones (in request order, so one
/// customer's events keep their order on the partition), then confirm them — or release them when
/// publishing failed, so a retry publishes. A resubmitted id is acknowledged as a duplicate.
/// </summary>
public sealed class EventIngestor(
    SubmitRequestValidator validator,
    IIdempotencyStore store,
    IEventPublisher publisher,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    IngestionMetrics metrics,
    ILogger<EventIngestor> logger)
{
    private static readonly TimeSpan FirstInFlightPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxInFlightPoll = TimeSpan.FromMilliseconds(250);

    private readonly IngestionOptions _options = options.Value;

    /// <summary>
    /// One result per request, in order. Never throws for a bad or undeliverable item: that is its result.
    /// <paramref name="cancellationToken"/> is honoured only before any id is reserved: from then on every
    /// reservation must end published-and-confirmed or released, whatever the caller does (the in-flight
    /// wait and the producer's delivery timeout bound how long that takes).
    /// </summary>
    public async Task<IReadOnlyList<SubmitResult>> IngestAsync(IReadOnlyList<SubmitRequest> requests, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var items = new List<SubmittedItem>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            items.Add(Prepare(i, requests[i]));
        }

        // The same event id twice in one request: the first occurrence goes through, the others follow it.
        var firstById = new Dictionary<string, SubmittedItem>(StringComparer.Ordinal);
        var followers = new List<(SubmittedItem Item, SubmittedItem First)>();
        var pending = new List<SubmittedItem>();
        foreach (var item in items.Where(item => item.Result.Status == SubmitStatus.Unspecified))
        {
            if (firstById.TryGetValue(item.EventId, out var first))
            {
                followers.Add((item, first));
            }
            else
            {
                firstById[item.EventId] = item;
                pending.Add(item);
            }
        }

        var reserved = await ReserveAsync(pending);
        await PublishAsync(reserved);

        foreach (var (item, first) in followers)
        {
            if (item.ContentHash != first.ContentHash)
            {
                Reject(item, [ConflictViolation(item)]);
            }
            else if (first.Result.Status is SubmitStatus.Accepted or SubmitStatus.Duplicate)
            {
                item.Result.Status = SubmitStatus.Duplicate;
            }
            else
            {
                item.Result.Status = first.Result.Status;
                item.Result.Error = first.Result.Error;
                item.Result.Violations.Add(first.Result.Violations);
            }
        }

        foreach (var item in items)
        {
            metrics.Record(item.Kind, item.Result.Status);
        }
        return [.. items.Select(item => item.Result)];
    }

    /// <summary>Validates one request and, when valid, builds the event to publish and its content hash.</summary>
    private SubmittedItem Prepare(int index, SubmitRequest request)
    {
        var kind = request.EventCase switch
        {
            SubmitRequest.EventOneofCase.Application => "application",
            SubmitRequest.EventOneofCase.Transaction => "transaction",
            SubmitRequest.EventOneofCase.Repayment => "repayment",
            SubmitRequest.EventOneofCase.Outcome => "outcome",
            _ => "none",
        };
        IIntegrationEvent? submitted = request.EventCase switch
        {
            SubmitRequest.EventOneofCase.Application => request.Application,
            SubmitRequest.EventOneofCase.Transaction => request.Transaction,
            SubmitRequest.EventOneofCase.Repayment => request.Repayment,
            SubmitRequest.EventOneofCase.Outcome => request.Outcome,
            _ => null,
        };
        var result = new SubmitResult { EventId = submitted?.Envelope?.EventId ?? "" };
        var violations = validator.Validate(request);
        if (violations.Count > 0 || submitted is null)
        {
            var rejected = new SubmittedItem(index, kind, null, result);
            Reject(rejected, violations);
            return rejected;
        }

        // The caller's content decides whether a resubmission is the same event; recorded_time is
        // ours to stamp (or, in a historical load, the source system's), so it is left out of the hash.
        // A copy: the caller's request object is not ours to stamp.
        var @event = (IIntegrationEvent)submitted.Descriptor.Parser.ParseFrom(submitted.ToByteString());
        var sourceRecordedTime = @event.Envelope.RecordedTime;
        @event.Envelope.RecordedTime = null;
        var hash = Convert.ToHexString(SHA256.HashData(@event.ToByteArray()), 0, 16);
        @event.Envelope.RecordedTime = request.Historical ? sourceRecordedTime : Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        if (string.IsNullOrEmpty(@event.Envelope.Source))
        {
            @event.Envelope.Source = _options.DefaultSource;
        }
        return new SubmittedItem(index, kind, @event, result) { ContentHash = hash };
    }

    /// <summary>
    /// Reserves the items' ids. Items another request is publishing right now are polled until that
    /// one settles (then they are duplicates, or ours to publish if it gave up) or the wait runs out.
    /// </summary>
    private async Task<List<SubmittedItem>> ReserveAsync(List<SubmittedItem> items)
    {
        var reserved = new List<SubmittedItem>(items.Count);
        var waitUntil = clock.GetUtcNow() + _options.InFlightWait;
        var poll = FirstInFlightPoll;
        var toReserve = items;
        while (toReserve.Count > 0)
        {
            IReadOnlyList<Reservation> reservations;
            try
            {
                reservations = await store.ReserveAsync([.. toReserve.Select(item => (item.EventId, item.ContentHash))], CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Without the dedup store nothing is published: a resubmission could not be recognised.
                logger.LogWarning(exception, "Dedup store unavailable; {Count} events not published", toReserve.Count);
                foreach (var item in toReserve)
                {
                    Unavailable(item, "the dedup store is unavailable; resubmit");
                }
                break;
            }

            var inFlight = new List<SubmittedItem>();
            for (var i = 0; i < toReserve.Count; i++)
            {
                var item = toReserve[i];
                item.Reservation = reservations[i];
                switch (reservations[i].State)
                {
                    case ReservationState.Reserved:
                        reserved.Add(item);
                        break;
                    case ReservationState.AlreadyPublished:
                        item.Result.Status = SubmitStatus.Duplicate;
                        break;
                    case ReservationState.Conflict:
                        Reject(item, [ConflictViolation(item)]);
                        break;
                    case ReservationState.InFlight:
                        inFlight.Add(item);
                        break;
                }
            }

            if (inFlight.Count > 0 && clock.GetUtcNow() >= waitUntil)
            {
                foreach (var item in inFlight)
                {
                    Unavailable(item, "another request is publishing this event id right now; resubmit");
                }
                break;
            }
            if (inFlight.Count > 0)
            {
                await Task.Delay(poll, clock, CancellationToken.None);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxInFlightPoll.Ticks));
            }
            toReserve = inFlight;
        }
        // Publish in request order whatever order the reservations settled in.
        reserved.Sort((a, b) => a.Index.CompareTo(b.Index));
        return reserved;
    }

    /// <summary>
    /// Publishes the reserved items, then confirms the published ones and releases the others. Not
    /// cancellable by the caller: once a send is handed to the producer it may land, so its outcome
    /// must be recorded (the producer's delivery timeout bounds this).
    /// </summary>
    private async Task PublishAsync(List<SubmittedItem> reserved)
    {
        if (reserved.Count == 0)
        {
            return;
        }
        var sends = reserved.Select(item => publisher.PublishAsync(item.Event!, CancellationToken.None)).ToList();
        var published = new List<Reservation>(reserved.Count);
        var failed = new List<Reservation>();
        for (var i = 0; i < reserved.Count; i++)
        {
            var item = reserved[i];
            try
            {
                await sends[i];
                item.Result.Status = SubmitStatus.Accepted;
                published.Add(item.Reservation);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Publishing {Kind} event {EventId} failed", item.Kind, item.EventId);
                Unavailable(item, $"the event could not be published ({exception.Message}); resubmit");
                failed.Add(item.Reservation);
            }
        }

        try
        {
            if (published.Count > 0)
            {
                await store.ConfirmAsync(published, CancellationToken.None);
            }
            if (failed.Count > 0)
            {
                await store.ReleaseAsync(failed, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The events' fate is settled on Kafka; the reservations expire after their lease. A retry after
            // that republishes a published event, which consumers drop by its event id.
            logger.LogError(exception, "Could not record {Published} published / {Failed} failed events in the dedup store", published.Count, failed.Count);
        }
    }

    private static FieldViolation ConflictViolation(SubmittedItem item) => new()
    {
        Field = $"{item.Kind}.envelope.event_id",
        Description = "already used by a different event (an event id identifies one event; use a new id for new content)",
    };

    private static void Reject(SubmittedItem item, IEnumerable<FieldViolation> violations)
    {
        item.Result.Status = SubmitStatus.Rejected;
        item.Result.Violations.Add(violations);
    }

    private static void Unavailable(SubmittedItem item, string error)
    {
        item.Result.Status = SubmitStatus.Unavailable;
        item.Result.Error = error;
    }
}
