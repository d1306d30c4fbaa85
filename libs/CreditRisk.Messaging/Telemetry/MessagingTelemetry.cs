using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Confluent.Kafka;

namespace CreditRisk.Messaging.Telemetry;

/// <summary>
/// Spans and metrics of the messaging library, named after the OpenTelemetry messaging conventions.
/// ServiceDefaults subscribes to every "CreditRisk.*" source and meter.
/// </summary>
public static class MessagingTelemetry
{
    public const string Name = "CreditRisk.Messaging";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RecordsProduced = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Records published (acknowledged by the broker).");

    public static readonly Counter<long> RecordsConsumed = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Records handled successfully.");

    public static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>(
        "messaging.process.duration", "s", "Time a handler took for one record, or one batch of a batch subscription, retries included.");

    public static readonly Counter<long> HandlerRetries = Meter.CreateCounter<long>(
        "creditrisk.messaging.handler.retries", "{retry}", "Handler attempts that failed and were retried.");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "creditrisk.messaging.dead_lettered", "{message}", "Records sent to a dead-letter topic.");

    public static readonly Counter<long> ConsumeErrors = Meter.CreateCounter<long>(
        "creditrisk.messaging.consume.errors", "{error}", "Errors Consume reported that the client recovers from; consuming went on.");

    /// <summary>Consumer lag per partition, as last reported by librdkafka statistics.</summary>
    public static readonly ConsumerLagTracker ConsumerLag = new(Meter);

    public const string SystemTag = "messaging.system";
    public const string DestinationTag = "messaging.destination.name";
    public const string PartitionTag = "messaging.destination.partition.id";
    public const string OperationTypeTag = "messaging.operation.type";
    public const string OperationNameTag = "messaging.operation.name";
    public const string ConsumerGroupTag = "messaging.consumer.group.name";
    public const string MessageIdTag = "messaging.message.id";
    public const string BatchMessageCountTag = "messaging.batch.message_count";
    public const string KafkaKeyTag = "messaging.kafka.message.key";
    public const string KafkaOffsetTag = "messaging.kafka.offset";
    public const string ErrorTypeTag = "error.type";

    /// <summary>
    /// A consumer span parented on the trace context the producer put in the record's headers, so the producer's
    /// trace continues here; <paramref name="operation"/> is the messaging operation ("process", "receive").
    /// </summary>
    public static Activity? StartRecordActivity(ConsumeResult<byte[]?, byte[]?> record, string groupId, string operation)
    {
        var parent = TraceContextPropagation.Extract(record.Message.Headers);
        var activity = ActivitySource.StartActivity(
            $"{operation} {record.Topic}",
            ActivityKind.Consumer,
            parent,
            links: parent == default ? null : [new ActivityLink(parent)]);
        activity?.SetTag(SystemTag, "kafka");
        activity?.SetTag(DestinationTag, record.Topic);
        activity?.SetTag(PartitionTag, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        activity?.SetTag(KafkaOffsetTag, record.Offset.Value);
        activity?.SetTag(ConsumerGroupTag, groupId);
        activity?.SetTag(OperationTypeTag, operation);
        activity?.SetTag(OperationNameTag, operation);
        return activity;
    }
}
