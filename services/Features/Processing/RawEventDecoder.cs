using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.FeatureStore;
using CreditRisk.Messaging;
using CreditRisk.Messaging.Serialization;
using Google.Protobuf.Reflection;

namespace CreditRisk.Features.Processing;

/// <summary>
/// Turns a raw record into a <see cref="RawEvent"/>, or says why it cannot be processed (the reason goes
/// with the record to the dead-letter topic). Deterministic: a record that fails here always fails.
/// </summary>
public sealed class RawEventDecoder(IEventSerializer serializer)
{
    private static readonly MessageDescriptor[] Sources =
        [LoanApplicationSubmitted.Descriptor, TransactionRecorded.Descriptor, RepaymentRecorded.Descriptor];

    public bool TryDecode(ConsumeResult<byte[]?, byte[]?> record, out RawEvent? decoded, out string? reason)
    {
        decoded = null;
        var declared = record.Message.Headers is { } headers && headers.TryGetLastBytes(MessageHeaders.MessageType, out var typeBytes)
            ? Encoding.UTF8.GetString(typeBytes)
            : null;
        // A catalogue topic fixes the type; another topic (a replay or test topic) must declare one of the sources.
        MessageDescriptor? expected = TopicCatalogue.TryGetByName(record.Topic, out var topic) && topic.Role == TopicRole.Events
            ? topic.ValueType
            : Sources.FirstOrDefault(source => source.FullName == declared);
        if (expected is null)
        {
            reason = declared is null
                ? $"{record.Topic} is not a catalogue topic and the record has no {MessageHeaders.MessageType} header"
                : $"{declared} is not a source of any feature view";
            return false;
        }
        if (declared is not null && declared != expected.FullName)
        {
            reason = $"expected {expected.FullName} but the record holds {declared}";
            return false;
        }
        if (record.Message.Value is null)
        {
            reason = "the record has no value (tombstone)";
            return false;
        }

        IIntegrationEvent @event;
        try
        {
            @event = serializer.Deserialize(record.Message.Value, expected);
        }
        catch (EventDeserializationException exception)
        {
            reason = exception.Message;
            return false;
        }

        var problems = new List<string>();
        var envelope = @event.Envelope;
        if (envelope.EventTime is null)
        {
            problems.Add("envelope.event_time: required");
        }
        string customerId;
        switch (@event)
        {
            case TransactionRecorded transaction:
                customerId = transaction.CustomerId;
                if (!double.IsFinite(transaction.Amount))
                {
                    problems.Add("amount: must be finite");
                }
                break;
            case RepaymentRecorded repayment:
                customerId = repayment.CustomerId;
                if (repayment.DaysPastDue < 0)
                {
                    problems.Add("days_past_due: must be >= 0");
                }
                break;
            case LoanApplicationSubmitted application:
                customerId = application.CustomerId;
                if (string.IsNullOrWhiteSpace(application.ApplicationId))
                {
                    problems.Add("application_id: required");
                }
                if (application.Application is null)
                {
                    problems.Add("application: required");
                }
                break;
            default:
                reason = $"{expected.FullName} is not a source of any feature view";
                return false;
        }
        if (string.IsNullOrWhiteSpace(customerId))
        {
            problems.Add("customer_id: required");
        }
        if (problems.Count > 0)
        {
            reason = string.Join("; ", problems);
            return false;
        }

        var customerEvent = CustomerEvent.From(@event);
        // Rows take the recorded time as created time, so a replay recreates them identically.
        var recorded = envelope.RecordedTime?.ToDateTimeOffset() ?? customerEvent.EventTime;
        decoded = new RawEvent(record, @event, customerId, customerEvent, recorded);
        reason = null;
        return true;
    }
}
