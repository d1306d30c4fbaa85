using System.Text.Json;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Modeling.Data;
using CreditRisk.Scoring.Tests.Support;
using CreditRisk.Testing.Hosting;

namespace CreditRisk.Scoring.Tests;

/// <summary>
/// The Open Inference Protocol service for a client that is not .NET: Debian's python3-grpcio with the classes and stub
/// python3-grpc-tools generates from the spec's proto, over a real h2c loopback port of a scoring instance on the champion.
/// </summary>
public sealed class PythonInferenceClientTests(ChampionFixture fixture) : IClassFixture<ChampionFixture>
{
    private const double Tolerance = 1e-6;

    [Fact]
    public async Task A_python_client_generated_from_the_proto_gets_metadata_and_the_offline_scores_over_h2c()
    {
        var scoring = await fixture.Environment.StartReadyScoringAsync(loopback: true);
        var signature = fixture.Offline.Signature.Inputs;
        var rows = TestModels.SampleInputs(fixture.Offline, 3);
        var expected = rows.Select(fixture.Offline.Score).ToArray();
        var missing = signature[2].Name;

        var answer = await PythonOipClient.RunAsync(Request(scoring.Loopback!, rows, missing));
        TestContext.Current.TestOutputHelper?.WriteLine(answer.ToString());

        Assert.True(answer.GetProperty("server_live").GetBoolean());
        Assert.True(answer.GetProperty("server_ready").GetBoolean());
        Assert.True(answer.GetProperty("model_ready").GetBoolean());
        Assert.Equal("creditrisk-scoring", answer.GetProperty("server_metadata").GetProperty("name").GetString());

        var metadata = answer.GetProperty("model_metadata");
        Assert.Equal(fixture.Environment.ModelName, metadata.GetProperty("name").GetString());
        Assert.Equal(["1"], Strings(metadata.GetProperty("versions")));
        var advertised = metadata.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(signature.Select(input => input.Name), advertised.Select(tensor => tensor.GetProperty("name").GetString()));
        // The client sends BYTES exactly where metadata says BYTES, and FP64 for every number (accepted for INT64 inputs too).
        Assert.Equal(signature.Select(input => input.Kind == ColumnKind.Categorical), advertised.Select(tensor => tensor.GetProperty("datatype").GetString() == "BYTES"));

        var contents = answer.GetProperty("infer_contents");
        Assert.Equal((fixture.Environment.ModelName, "1", "python-contents"),
            (contents.GetProperty("model_name").GetString(), contents.GetProperty("model_version").GetString(), contents.GetProperty("id").GetString()));
        var output = Assert.Single(contents.GetProperty("outputs").EnumerateArray().ToList());
        Assert.Equal(("default_probability", "FP64"), (output.GetProperty("name").GetString(), output.GetProperty("datatype").GetString()));
        Assert.Equal([3L, 1L], output.GetProperty("shape").EnumerateArray().Select(dimension => dimension.GetInt64()));
        AssertScores(expected, output.GetProperty("fp64_contents"));

        var raw = answer.GetProperty("infer_raw");
        Assert.Equal("python-raw", raw.GetProperty("id").GetString());
        Assert.Equal(1, raw.GetProperty("raw_output_count").GetInt32());
        Assert.False(Assert.Single(raw.GetProperty("outputs").EnumerateArray().ToList()).GetProperty("has_contents").GetBoolean());
        AssertScores(expected, raw.GetProperty("probabilities"));

        var refused = answer.GetProperty("missing_input");
        Assert.Equal("INVALID_ARGUMENT", refused.GetProperty("code").GetString());
        Assert.Contains($"inputs[{missing}]", refused.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal("UNAUTHENTICATED", answer.GetProperty("without_key").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_the_python_it_needs_the_client_fails_saying_what_to_install()
    {
        var request = Request(new LoopbackEndpoints(new Uri("http://127.0.0.1:1"), new Uri("http://127.0.0.1:1")), TestModels.SampleInputs(fixture.Offline, 1), "none");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => PythonOipClient.RunAsync(request, python: "/nonexistent/python3"));

        Assert.Contains(PythonOipClient.InstallHint, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>One tensor per signature input, FP64 for numbers and BYTES for categories, values as the C# tests send them.</summary>
    private PythonOipClient.Request Request(LoopbackEndpoints endpoints, IReadOnlyList<Dictionary<string, object?>> rows, string missing) => new(
        endpoints.Grpc.Authority, ApiKeyMetadata.HeaderName, TestApiKeys.Writer, fixture.Environment.ModelName,
        [.. fixture.Offline.Signature.Inputs.Select(input => new PythonOipClient.Tensor(
            input.Name, input.Kind == ColumnKind.Categorical ? "BYTES" : "FP64", [.. rows.Select(row => row[input.Name])]))],
        missing);

    private static void AssertScores(double[] expected, JsonElement actual)
    {
        var scores = actual.EnumerateArray().Select(value => value.GetDouble()).ToArray();
        Assert.Equal(expected.Length, scores.Length);
        Assert.All(expected.Zip(scores), pair => Assert.InRange(pair.Second, pair.First - Tolerance, pair.First + Tolerance));
    }

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString());
}
