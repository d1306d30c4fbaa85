using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace CreditRisk.Messaging.Telemetry;

/// <summary>Carries W3C trace context in Kafka record headers.</summary>
public static class TraceContextPropagation
{
    public static void Inject(Activity? activity, Headers headers)
    {
        var context = activity ?? Activity.Current;
        if (context is null)
        {
            return;
        }
        DistributedContextPropagator.Current.Inject(context, headers, static (carrier, name, value) =>
        {
            if (carrier is Headers kafkaHeaders && value is not null)
            {
                kafkaHeaders.Remove(name);
                kafkaHeaders.Add(name, Encoding.UTF8.GetBytes(value));
            }
        });
    }

    /// <summary>Writes <paramref name="context"/> as the record's W3C trace context, replacing any other.</summary>
    public static void Inject(ActivityContext context, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var sampled = (context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        headers.Remove(MessageHeaders.TraceParent);
        headers.Add(MessageHeaders.TraceParent, Encoding.UTF8.GetBytes($"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{sampled}"));
        headers.Remove(MessageHeaders.TraceState);
        if (!string.IsNullOrEmpty(context.TraceState))
        {
            headers.Add(MessageHeaders.TraceState, Encoding.UTF8.GetBytes(context.TraceState));
        }
    }

    /// <summary>The producer's span context, or default when the record carries none.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null)
        {
            return default;
        }
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = carrier is Headers kafkaHeaders && kafkaHeaders.TryGetLastBytes(name, out var bytes)
                ? Encoding.UTF8.GetString(bytes)
                : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }
}
