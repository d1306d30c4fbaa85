using System.Globalization;
using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// Moves a record that cannot be handled to "&lt;topic&gt;.dlq" with its key, value and headers intact plus
/// headers saying why. It keeps trying until the broker acknowledges: the consumer stores the offset only
/// after that, so a dead-lettered record is never lost.
/// </summary>
public sealed class DeadLetterPublisher(KafkaProducerConnection connection, TimeProvider clock, ILogger<DeadLetterPublisher> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public async Task SendAsync(ConsumeResult<byte[]?, byte[]?> record, DeadLetter reason, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        headers.Add(MessageHeaders.DeadLetterReason, Encoding.UTF8.GetBytes(reason.Reason));
        headers.Add(MessageHeaders.DeadLetterExceptionType, Encoding.UTF8.GetBytes(reason.ExceptionType));
        headers.Add(MessageHeaders.DeadLetterOriginalTopic, Encoding.UTF8.GetBytes(record.Topic));
        headers.Add(MessageHeaders.DeadLetterOriginalPartition, Encoding.UTF8.GetBytes(record.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(MessageHeaders.DeadLetterOriginalOffset, Encoding.UTF8.GetBytes(record.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(MessageHeaders.DeadLetterConsumerGroup, Encoding.UTF8.GetBytes(reason.ConsumerGroup));
        headers.Add(MessageHeaders.DeadLetterAttempts, Encoding.UTF8.GetBytes(reason.Attempts.ToString(CultureInfo.InvariantCulture)));
        headers.Add(MessageHeaders.DeadLetterFailedAt, Encoding.UTF8.GetBytes(clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));

        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Headers = headers,
            Timestamp = record.Message.Timestamp,
        };
        var topic = record.Topic + TopicDefinition.DeadLetterSuffix;
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await connection.Producer.ProduceAsync(topic, message, cancellationToken);
                MessagingTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, record.Topic));
                logger.LogWarning(
                    "Dead-lettered {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}: {Reason}",
                    record.Topic, record.Partition.Value, record.Offset.Value, topic, reason.Reason);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> exception) when (!exception.Error.IsFatal)
            {
                logger.LogError(exception, "Could not dead-letter {Topic}[{Partition}]@{Offset}; retrying in {Backoff}",
                    record.Topic, record.Partition.Value, record.Offset.Value, backoff);
                await Task.Delay(backoff, clock, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
