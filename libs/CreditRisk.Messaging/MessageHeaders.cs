namespace CreditRisk.Messaging;

/// <summary>Record header names written by the publisher and the dead-letter path.</summary>
public static class MessageHeaders
{
    /// <summary>Full Protobuf name of the value, e.g. "creditrisk.events.v1.LoanApplicationSubmitted".</summary>
    public const string MessageType = "message-type";

    /// <summary>The envelope's schema version, so consumers can branch without parsing the value.</summary>
    public const string SchemaVersion = "schema-version";

    /// <summary>How the value is framed ("application/x-protobuf"); a schema-registry framing would name itself here.</summary>
    public const string ContentType = "content-type";

    public const string EventId = "event-id";

    // W3C trace context (https://www.w3.org/TR/trace-context/).
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    // Dead-letter records keep the original key, value and headers and add these.
    public const string DeadLetterReason = "dlq-reason";
    public const string DeadLetterExceptionType = "dlq-exception-type";
    public const string DeadLetterOriginalTopic = "dlq-original-topic";
    public const string DeadLetterOriginalPartition = "dlq-original-partition";
    public const string DeadLetterOriginalOffset = "dlq-original-offset";
    public const string DeadLetterConsumerGroup = "dlq-consumer-group";
    public const string DeadLetterAttempts = "dlq-attempts";
    public const string DeadLetterFailedAt = "dlq-failed-at";
}
