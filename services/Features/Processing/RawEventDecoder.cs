using System.Collections.Concurrent;
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

    private static readonly ConcurrentDictionary<MessageDescriptor, byte[]> Utf8Names = new();

    private static byte[] Utf8Name(MessageDescriptor type) => Utf8Names.GetOrAdd(type, static type => Encoding.UTF8.GetBytes(type.FullName));

    private static MessageDescriptor? SourceNamed(byte[]? declared)
    {
        if (declared is null)
        {
            return null;
        }
        foreach (var source in Sources)
        {
            if (Utf8Name(source).AsSpan().SequenceEqual(declared))
            {
                return source;
            }
        }
        return null;
    }

    public bool TryDecode(ConsumeResult<byte[]?, byte[]?> record, out RawEvent? decoded, out string? reason)
    {
        decoded = null;
        // The declared type stays bytes unless a reason needs it as text: this runs for every record.
        var declared = record.Message.Headers is { } headers && headers.TryGetLastBytes(MessageHeaders.MessageType, out var typeBytes)
            ? typeBytes
            : null;
        // A catalogue topic fixes the type; another topic (a replay or test topic) must declare one of the sources.
        MessageDescriptor? expected = TopicCatalogue.TryGetByName(record.Topic, out var topic) && topic.Role == TopicRole.Events
            ? topic.ValueType
            : SourceNamed(declared);
        if (expected is null)
        {
            reason = declared is null
                ? $"{record.Topic} is not a catalogue topic and the record has no {MessageHeaders.MessageType} header"
                : $"{Encoding.UTF8.GetString(declared)} is not a source of any feature view";
            return false;
        }
        if (declared is not null && !Utf8Name(expected).AsSpan().SequenceEqual(declared))
        {
            reason = $"expected {expected.FullName} but the record holds {Encoding.UTF8.GetString(declared)}";
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
