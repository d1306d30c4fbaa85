using System.Net;
using System.Text;
using System.Text.Json;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;

namespace CreditRisk.Registry.Tests;

/// <summary>REST/JSON for scripts and browsers: Protobuf JSON in and out, the same rules as gRPC.</summary>
public sealed class RestApiTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PostAsync(HttpClient http, string method, string json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.PostAsync($"/api/v1/registry/{method}", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"{method}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task A_script_can_track_a_run_and_search_it_over_json()
    {
        using var http = registry.Host.Http(TestApiKeys.Admin);
        var experiment = await PostAsync(http, "CreateExperiment", $$"""{"name":"{{Seed.Unique("rest")}}"}""");
        var experimentId = experiment.GetProperty("experimentId").GetString();
        var run = await PostAsync(http, "CreateRun", $$"""{"experimentId":"{{experimentId}}","name":"from-curl"}""");
        var runId = run.GetProperty("runId").GetString();
        await PostAsync(http, "LogBatch", $$$"""
            {"runId":"{{{runId}}}","metrics":[{"key":"auc","value":0.81,"step":1}],"params":{"learner":"fasttree"},"tags":{"who":"script"}}
            """);

        var found = await PostAsync(http, "SearchRuns", $$"""{"experimentIds":["{{experimentId}}"],"filter":"metrics.auc > 0.8","orderBy":["metrics.auc DESC"]}""");
        var hit = Assert.Single(found.GetProperty("runs").EnumerateArray());
        Assert.Equal(runId, hit.GetProperty("runId").GetString());
        Assert.Equal(0.81, hit.GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal("RUN_STATUS_RUNNING", hit.GetProperty("status").GetString());

        using var get = await http.GetAsync($"/api/v1/runs/{runId}", Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("fasttree", await get.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Bad_requests_name_the_field_and_map_to_http_statuses()
    {
        using var http = registry.Host.Http(TestApiKeys.Admin);
        var invalid = await PostAsync(http, "CreateRun", """{"experimentId":"abc"}""", HttpStatusCode.BadRequest);
        Assert.Contains("experiment_id", invalid.GetProperty("message").GetString());
        Assert.Equal("InvalidArgument", invalid.GetProperty("code").GetString());
        var violation = Assert.Single(invalid.GetProperty("fieldViolations").EnumerateArray());
        Assert.Equal("experiment_id", violation.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(violation.GetProperty("description").GetString()));

        var notFound = await PostAsync(http, "GetRun", $$"""{"runId":"{{Guid.NewGuid()}}"}""", HttpStatusCode.NotFound);
        Assert.Empty(notFound.GetProperty("fieldViolations").EnumerateArray());
        var malformed = await PostAsync(http, "CreateRun", """{"experimentId": 5, "unknownField": true}""", HttpStatusCode.BadRequest);
        Assert.StartsWith("body:", malformed.GetProperty("message").GetString());

        using var unknown = await http.PostAsync("/api/v1/registry/DropEverything", new StringContent("{}"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
