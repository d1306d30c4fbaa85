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
