using System.Net.Http.Json;
using System.Text.Json;

namespace CreditRisk.Scenario;

/// <summary>
/// One trace as the trace viewer holds it (the Aspire dashboard's telemetry API, OTLP JSON): which services' spans it
/// has and whether every span's parent is in it, i.e. whether the application's path is one connected trace.
/// </summary>
public sealed record TraceCheck(int Spans, IReadOnlyList<string> Services, int MissingParents)
{
    public bool Connected => Spans > 0 && MissingParents == 0;

    public override string ToString() => Spans == 0
        ? "not found in the trace viewer"
        : $"{Spans} spans from {string.Join(", ", Services)}; {(Connected ? "every parent present" : $"{MissingParents} spans' parents missing")}";

    /// <summary>
    /// Reads the trace until it holds spans of every one of <paramref name="expected"/> services and every span's parent
    /// (services export in batches, a child's often before its parent's), or the deadline passes.
    /// </summary>
    public static async Task<TraceCheck> ReadAsync(Uri dashboard, string traceId, IReadOnlyCollection<string> expected, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var check = new TraceCheck(0, [], 0);
        while (true)
        {
            using var response = await http.GetAsync($"api/telemetry/traces/{traceId}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                check = Parse(await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken));
            }
            if ((expected.All(check.Services.Contains) && check.Connected) || waited.Elapsed > deadline)
            {
                return check;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>The dashboard's answer: {"data": {"resourceSpans": [{"resource": {...}, "scopeSpans": [{"spans": [...]}]}]}}.</summary>
    public static TraceCheck Parse(JsonDocument? document)
    {
        if (document is null || !document.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("resourceSpans", out var resources))
        {
            return new TraceCheck(0, [], 0);
        }
        var spans = new List<(string Id, string Parent)>();
        var services = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources.EnumerateArray())
        {
            var service = ServiceName(resource);
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    services.Add(service);
                    spans.Add((span.GetProperty("spanId").GetString()!, span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : ""));
                }
            }
        }
        var ids = spans.Select(span => span.Id).ToHashSet(StringComparer.Ordinal);
        return new TraceCheck(spans.Count, [.. services], spans.Count(span => span.Parent.Length > 0 && !ids.Contains(span.Parent)));
    }

    private static string ServiceName(JsonElement resource)
    {
        if (resource.TryGetProperty("resource", out var attributes) && attributes.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                if (attribute.GetProperty("key").GetString() == "service.name")
                {
                    return attribute.GetProperty("value").GetProperty("stringValue").GetString() ?? "?";
                }
            }
        }
        return "?";
    }
}
