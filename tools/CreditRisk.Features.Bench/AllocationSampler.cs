using System.Diagnostics.Tracing;

namespace CreditRisk.Features.Bench;

/// <summary>
/// Samples this process's allocations by type (the runtime's AllocationTick event, one per ~100 KB allocated), to
/// show what the processor allocates per event, large-object-heap allocations marked as such. Opt-in
/// (<c>--allocations</c>): the listener costs a little CPU.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    private const string LargeObjectHeap = "(large object heap) ";

    public volatile bool Recording;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }
        var typeName = eventData.PayloadNames!.IndexOf("TypeName") is var at and >= 0 ? eventData.Payload[at] as string ?? "?" : "?";
        // Kind 1: the large object heap, whose allocations count towards (background) gen-2 collections.
        if (eventData.PayloadNames.IndexOf("AllocationKind") is var kindAt and >= 0 && Convert.ToInt32(eventData.Payload[kindAt], System.Globalization.CultureInfo.InvariantCulture) == 1)
        {
            typeName = LargeObjectHeap + typeName;
        }
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var amountAt and >= 0 ? Convert.ToInt64(eventData.Payload[amountAt], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_bytesByType)
        {
            _bytesByType[typeName] = _bytesByType.GetValueOrDefault(typeName) + amount;
        }
    }

    public void Print(long events, int top = 25)
    {
        lock (_bytesByType)
        {
            var total = _bytesByType.Values.Sum();
            Console.WriteLine($"  allocation samples by type (bytes per event, of {total / (double)events:0} sampled):");
            var shown = _bytesByType.OrderByDescending(entry => entry.Value).Take(top).ToList();
            // Every large-object-heap type, even below the top: each such allocation brings a gen-2 collection nearer.
            shown.AddRange(_bytesByType.Where(entry => entry.Key.StartsWith(LargeObjectHeap, StringComparison.Ordinal)).Except(shown).OrderByDescending(entry => entry.Value));
            foreach (var (type, bytes) in shown)
            {
                Console.WriteLine($"    {bytes / (double)events,8:0} B  {type}");
            }
        }
    }
}
