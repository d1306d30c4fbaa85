using Confluent.Kafka;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// Consume for the consume loops: an error librdkafka recovers from by itself (a subscribed topic that does not exist
/// yet, or was deleted and is being recreated; a partition between leaders) is logged and counted, and consuming goes
/// on. A fatal error still throws, and stops the loop.
/// </summary>
public static class ConsumeErrors
{
    /// <summary><see cref="IConsumer{TKey,TValue}.Consume(CancellationToken)"/>, or null after a recoverable error.</summary>
    public static ConsumeResult<byte[]?, byte[]?>? ConsumeReportingErrors(
        this IConsumer<byte[]?, byte[]?> consumer, CancellationToken cancellationToken, string groupId, string topics, ILogger logger)
    {
        try
        {
            return consumer.Consume(cancellationToken);
        }
        catch (ConsumeException exception) when (!exception.Error.IsFatal)
        {
            Report(exception, groupId, topics, logger);
            return null;
        }
    }

    /// <summary><see cref="IConsumer{TKey,TValue}.Consume(TimeSpan)"/>, or null after a recoverable error.</summary>
    public static ConsumeResult<byte[]?, byte[]?>? ConsumeReportingErrors(
        this IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout, string groupId, string topics, ILogger logger)
    {
        try
        {
            return consumer.Consume(timeout);
        }
        catch (ConsumeException exception) when (!exception.Error.IsFatal)
        {
            Report(exception, groupId, topics, logger);
            return null;
        }
    }

    /// <param name="topics">What the consumer subscribed to: the tag when the error names no topic.</param>
    private static void Report(ConsumeException exception, string groupId, string topics, ILogger logger)
    {
        var topic = exception.ConsumerRecord?.Topic is { Length: > 0 } named ? named : topics;
        MessagingTelemetry.ConsumeErrors.Add(
            1,
            new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, topic),
            new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, groupId),
            new KeyValuePair<string, object?>(MessagingTelemetry.ErrorTypeTag, exception.Error.Code.ToString()));
        logger.LogWarning("Consuming {Topic} as group {Group} failed ({Code}: {Reason}); librdkafka recovers, consuming goes on",
            topic, groupId, exception.Error.Code, exception.Error.Reason);
    }
}
