using System.Text.Json;
using CreditRisk.Scenario;

namespace CreditRisk.Scenario.Tests;

public sealed class TraceCheckTests
{
    [Fact]
    public void A_trace_whose_every_parent_is_in_it_is_connected_and_names_its_services()
    {
        var check = TraceCheck.Parse(Trace(("scenario", "a", ""), ("ingestion", "b", "a"), ("features", "c", "b"), ("scoring", "d", "a")));

        Assert.True(check.Connected);
        Assert.Equal(4, check.Spans);
        Assert.Equal(["features", "ingestion", "scenario", "scoring"], check.Services);
        Assert.Equal("4 spans from features, ingestion, scenario, scoring; every parent present", check.ToString());
    }

    [Fact]
    public void A_span_whose_parent_the_viewer_does_not_hold_breaks_the_trace()
    {
        var check = TraceCheck.Parse(Trace(("scenario", "a", ""), ("scoring", "d", "x")));

        Assert.False(check.Connected);
        Assert.Equal(1, check.MissingParents);
    }

    [Fact]
    public void An_answer_without_spans_is_a_trace_not_found()
    {
        var check = TraceCheck.Parse(JsonDocument.Parse("""{"data": {"resourceSpans": []}}"""));

        Assert.False(check.Connected);
        Assert.Equal("not found in the trace viewer", check.ToString());
    }

    private static JsonDocument Trace(params (string Service, string Id, string Parent)[] spans) => JsonDocument.Parse(JsonSerializer.Serialize(new
    {
        data = new
        {
            resourceSpans = spans.Select(span => new
            {
                resource = new { attributes = new[] { new { key = "service.name", value = new { stringValue = span.Service } } } },
                scopeSpans = new[] { new { spans = new[] { new { spanId = span.Id, parentSpanId = span.Parent, name = "span" } } } },
            }),
        },
    }));
}
