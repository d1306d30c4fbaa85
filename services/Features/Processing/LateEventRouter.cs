using System.Globalization;
using System.Text;
using Confluent.Kafka;
using CreditRisk.Messaging.Publishing;
using Microsoft.Extensions.Options;

namespace CreditRisk.Features.Processing;

/// <summary>
/// Sends events later than the allowed lateness, unchanged (key, value, headers), to the late topic with headers
/// saying why, and counts them. Completes on the broker's ack: the batch's offsets are stored only after.
/// </summary>
public sealed class LateEventRouter(KafkaProducerConnection connection, IOptions<FeatureProcessorOptions> options, TimeProvider clock)
{
    public const string ReasonHeader = "late-reason";
    public const string WatermarkHeader = "late-watermark";
    public const string AllowedLatenessHeader = "late-allowed-lateness";
    public const string OriginalTopicHeader = "late-original-topic";
    public const string OriginalPartitionHeader = "late-original-partition";
    public const string OriginalOffsetHeader = "late-original-offset";
    public const string RoutedAtHeader = "late-routed-at";

    public async Task RouteAsync(IReadOnlyList<(RawEvent Event, DateTimeOffset? Watermark, TimeSpan AllowedLateness)> late, CancellationToken cancellationToken)
    {
        if (late.Count == 0)
        {
            return;
        }
        var topic = options.Value.LateTopic;
        var sends = new List<Task>(late.Count);
        foreach (var (rawEvent, watermark, allowedLateness) in late)
        {
            var record = rawEvent.Record;
            var headers = new Headers();
            foreach (var header in record.Message.Headers ?? [])
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
            var reason = $"event time {rawEvent.EventTime:O} is more than {allowedLateness} behind customer {rawEvent.CustomerId}'s watermark {watermark:O}";
            Add(headers, ReasonHeader, reason);
            Add(headers, WatermarkHeader, watermark?.ToString("O", CultureInfo.InvariantCulture) ?? "");
            Add(headers, AllowedLatenessHeader, allowedLateness.ToString("c", CultureInfo.InvariantCulture));
            Add(headers, OriginalTopicHeader, record.Topic);
            Add(headers, OriginalPartitionHeader, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
            Add(headers, OriginalOffsetHeader, record.Offset.Value.ToString(CultureInfo.InvariantCulture));
            Add(headers, RoutedAtHeader, clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            sends.Add(connection.Producer.ProduceAsync(topic, new Message<byte[]?, byte[]?>
            {
                Key = record.Message.Key,
                Value = record.Message.Value,
                Headers = headers,
                Timestamp = record.Message.Timestamp,
            }, cancellationToken));
            FeatureProcessorTelemetry.LateEvents.Add(1, new KeyValuePair<string, object?>(FeatureProcessorTelemetry.TopicTag, record.Topic));
        }
        await Task.WhenAll(sends);
    }

    private static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
}
