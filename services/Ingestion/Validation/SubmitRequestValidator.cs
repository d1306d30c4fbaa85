using System.Text.RegularExpressions;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Validation;
using CreditRisk.Ingestion.Ingestion;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace CreditRisk.Ingestion.Validation;

/// <summary>
/// Checks a submitted event completely and reports every bad field (paths relative to the
/// SubmitRequest, e.g. "application.application.amount"), never just the first.
/// </summary>
public sealed partial class SubmitRequestValidator(IOptions<IngestionOptions> options, TimeProvider clock)
{
        private const int MaxSourceLength = 100;

    // The range google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    private readonly IngestionOptions _options = options.Value;

    public IReadOnlyList<FieldViolation> Validate(SubmitRequest request)
    {
        var violations = new FieldViolations();
        switch (request.EventCase)
        {
            case SubmitRequest.EventOneofCase.Application:
                ValidateApplication(request.Application, "application", violations);
                break;
            case SubmitRequest.EventOneofCase.Transaction:
                ValidateTransaction(request.Transaction, "transaction", violations);
                break;
            case SubmitRequest.EventOneofCase.Repayment:
                ValidateRepayment(request.Repayment, "repayment", violations);
                break;
            case SubmitRequest.EventOneofCase.Outcome:
                ValidateOutcome(request.Outcome, "outcome", violations);
                break;
            default:
                violations.Add("event", "required: one of application, transaction, repayment, outcome");
                break;
        }
        if (request.Historical)
        {
            ValidateHistoricalRecordedTime(request, violations);
        }
        return [.. violations.Items.Select(violation => new FieldViolation { Field = violation.Field, Description = violation.Description })];
    }

    private void ValidateApplication(LoanApplicationSubmitted submitted, string path, FieldViolations violations)
    {
        ValidateEnvelope(submitted.Envelope, submitted.CustomerId, path, violations);
        ValidateId(submitted.ApplicationId, $"{path}.application_id", violations);
        ValidateId(submitted.CustomerId, $"{path}.customer_id", violations);
        LoanApplicationRules.Validate(submitted.Application, $"{path}.application", violations);
    }

    private void ValidateTransaction(TransactionRecorded transaction, string path, FieldViolations violations)
    {
        ValidateEnvelope(transaction.Envelope, transaction.CustomerId, path, violations);
        ValidateId(transaction.TransactionId, $"{path}.transaction_id", violations);
        ValidateId(transaction.CustomerId, $"{path}.customer_id", violations);
        if (!double.IsFinite(transaction.Amount) || transaction.Amount == 0)
        {
            violations.Add($"{path}.amount", "must be a finite, non-zero number (positive in, negative out)");
        }
        if (string.IsNullOrEmpty(transaction.Currency))
        {
            violations.Add($"{path}.currency", "required");
        }
        else if (!CurrencyCode().IsMatch(transaction.Currency))
        {
            violations.Add($"{path}.currency", "must be an ISO 4217 code of three capital letters");
        }
        if (string.IsNullOrEmpty(transaction.Category))
        {
            violations.Add($"{path}.category", "required");
        }
        else if (!Category().IsMatch(transaction.Category))
        {
            violations.Add($"{path}.category", "must be lower-case letters, digits and '_' (at most 64)");
        }
    }

    private void ValidateRepayment(RepaymentRecorded repayment, string path, FieldViolations violations)
    {
        var eventTime = ValidateEnvelope(repayment.Envelope, repayment.CustomerId, path, violations);
        ValidateId(repayment.RepaymentId, $"{path}.repayment_id", violations);
        ValidateId(repayment.LoanId, $"{path}.loan_id", violations);
        ValidateId(repayment.CustomerId, $"{path}.customer_id", violations);
        var dueDate = PlausibleTime(repayment.DueDate, $"{path}.due_date", required: true, violations);
        var paidDate = PlausibleTime(repayment.PaidDate, $"{path}.paid_date", required: false, violations);
        if (paidDate is { } paid && eventTime is { } known && paid > known)
        {
            violations.Add($"{path}.paid_date", "must not be after envelope.event_time (it is paid by then or unset)");
        }
        Positive(repayment.AmountDue, $"{path}.amount_due", violations);
        NonNegative(repayment.AmountPaid, $"{path}.amount_paid", violations);
        if (repayment.DaysPastDue < 0)
        {
            violations.Add($"{path}.days_past_due", "must be >= 0");
        }
        if (paidDate is null && dueDate is { } due && eventTime is { } at && repayment.DaysPastDue > Math.Max(0, (at - due).TotalDays) + 1)
        {
            violations.Add($"{path}.days_past_due", "exceeds the days between due_date and envelope.event_time");
        }
    }

    private void ValidateOutcome(LoanOutcomeRecorded outcome, string path, FieldViolations violations)
    {
        var eventTime = ValidateEnvelope(outcome.Envelope, outcome.CustomerId, path, violations);
        ValidateId(outcome.LoanId, $"{path}.loan_id", violations);
        ValidateId(outcome.ApplicationId, $"{path}.application_id", violations);
        ValidateId(outcome.CustomerId, $"{path}.customer_id", violations);
        if (outcome.Outcome is not (LoanOutcome.Repaid or LoanOutcome.Defaulted))
        {
            violations.Add($"{path}.outcome", "must be LOAN_OUTCOME_REPAID or LOAN_OUTCOME_DEFAULTED");
        }
        var applicationTime = PlausibleTime(outcome.ApplicationTime, $"{path}.application_time", required: true, violations);
        if (applicationTime is { } applied && eventTime is { } known && applied > known)
        {
            violations.Add($"{path}.application_time", "must not be after envelope.event_time (an outcome is known after the application)");
        }
    }

    /// <summary>Checks the envelope; returns its event time when that is usable for cross-field checks.</summary>
    private DateTimeOffset? ValidateEnvelope(EventEnvelope? envelope, string customerId, string path, FieldViolations violations)
    {
        var prefix = $"{path}.envelope";
        if (envelope is null)
        {
            violations.Add(prefix, "required");
            return null;
        }
        if (string.IsNullOrEmpty(envelope.EventId))
        {
            violations.Add($"{prefix}.event_id", "required (a UUID, stable across retries: the idempotency key)");
        }
        else if (!Guid.TryParseExact(envelope.EventId, "D", out _))
        {
            violations.Add($"{prefix}.event_id", "must be a UUID such as 0195e6a3-5b7e-7cc1-9f0e-3a4b5c6d7e8f");
        }
        if (string.IsNullOrEmpty(envelope.EntityKey))
        {
            violations.Add($"{prefix}.entity_key", "required (the customer id)");
        }
        else if (!string.IsNullOrEmpty(customerId) && envelope.EntityKey != customerId)
        {
            violations.Add($"{prefix}.entity_key", $"must equal customer_id \"{customerId}\" (it is the Kafka key)");
        }
        var eventTime = PlausibleTime(envelope.EventTime, $"{prefix}.event_time", required: true, violations);
        if (!_options.SupportedSchemaVersions.Contains(envelope.SchemaVersion))
        {
            violations.Add($"{prefix}.schema_version", envelope.SchemaVersion == 0
                ? $"required (supported: {string.Join(", ", _options.SupportedSchemaVersions)})"
                : $"{envelope.SchemaVersion} is not supported (supported: {string.Join(", ", _options.SupportedSchemaVersions)})");
        }
        if (envelope.Source.Length > MaxSourceLength)
        {
            violations.Add($"{prefix}.source", $"must be at most {MaxSourceLength} characters");
        }
        return eventTime;
    }

    /// <summary>A historical load keeps the caller's recorded time: it must be there, plausible and not before the event time.</summary>
    private void ValidateHistoricalRecordedTime(SubmitRequest request, FieldViolations violations)
    {
        var (path, envelope) = request.EventCase switch
        {
            SubmitRequest.EventOneofCase.Application => ("application", request.Application.Envelope),
            SubmitRequest.EventOneofCase.Transaction => ("transaction", request.Transaction.Envelope),
            SubmitRequest.EventOneofCase.Repayment => ("repayment", request.Repayment.Envelope),
            SubmitRequest.EventOneofCase.Outcome => ("outcome", request.Outcome.Envelope),
            _ => ("", null),
        };
        if (envelope is null)
        {
            return;
        }
        var recorded = PlausibleTime(envelope.RecordedTime, $"{path}.envelope.recorded_time", required: true, violations);
        if (recorded is { } recordedTime && envelope.EventTime is { } eventTime && recordedTime < eventTime.ToDateTimeOffset())
        {
            violations.Add($"{path}.envelope.recorded_time", "must not be before envelope.event_time (an event is recorded once it happened)");
        }
    }

    /// <summary>A timestamp that is valid, not before <see cref="IngestionOptions.MinEventTime"/> and not in the future beyond the allowed skew.</summary>
    private DateTimeOffset? PlausibleTime(Timestamp? timestamp, string field, bool required, FieldViolations violations)
    {
        if (timestamp is null)
        {
            if (required)
            {
                violations.Add(field, "required");
            }
            return null;
        }
        if (timestamp.Seconds < MinTimestampSeconds || timestamp.Seconds > MaxTimestampSeconds || timestamp.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(field, "is not a valid timestamp");
            return null;
        }
        var time = timestamp.ToDateTimeOffset();
        var latest = clock.GetUtcNow() + _options.MaxFutureSkew;
        if (time > latest)
        {
            violations.Add(field, $"must not be in the future (latest accepted now: {latest:O})");
            return null;
        }
        if (time < _options.MinEventTime)
        {
            violations.Add(field, $"must not be before {_options.MinEventTime:O}");
            return null;
        }
        return time;
    }

    private static void ValidateId(string value, string field, FieldViolations violations) =>
        IdentifierRules.Validate(value, field, violations);

    private static void Positive(double value, string field, FieldViolations violations) =>
        LoanApplicationRules.Positive(value, field, violations);

    private static void NonNegative(double value, string field, FieldViolations violations) =>
        LoanApplicationRules.NonNegative(value, field, violations);

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex Category();
}
