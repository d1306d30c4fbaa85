using System.Buffers.Binary;
using System.Text;
using CreditRisk.Contracts.Inference;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;
using CreditRisk.Scoring.Tests.Support;
using CreditRisk.Testing.Hosting;
using Google.Protobuf;
using Grpc.Core;
using InputTensor = CreditRisk.Contracts.Inference.ModelInferRequest.Types.InferInputTensor;

namespace CreditRisk.Scoring.Tests;

/// <summary>The Open Inference Protocol service against the real scoring host: every RPC, both content forms, unseen categories, bad input.</summary>
public sealed class InferenceTests(ChampionFixture fixture) : IClassFixture<ChampionFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private GRPCInferenceService.GRPCInferenceServiceClient Client() => Client(TestApiKeys.Writer);

    private GRPCInferenceService.GRPCInferenceServiceClient Client(string? key) =>
        fixture.Scoring.ClientFor<GRPCInferenceService.GRPCInferenceServiceClient>(key);

    private CreditRiskModel Offline => fixture.Offline;

    private string ModelName => fixture.Environment.ModelName;

    [Fact]
    public async Task Liveness_readiness_and_server_metadata_answer()
    {
        var client = Client(TestApiKeys.Reader);

        Assert.True((await client.ServerLiveAsync(new ServerLiveRequest(), cancellationToken: Cancellation)).Live);
        Assert.True((await client.ServerReadyAsync(new ServerReadyRequest(), cancellationToken: Cancellation)).Ready);
        Assert.True((await client.ModelReadyAsync(new ModelReadyRequest { Name = ModelName }, cancellationToken: Cancellation)).Ready);
        Assert.True((await client.ModelReadyAsync(new ModelReadyRequest { Name = ModelName, Version = "1" }, cancellationToken: Cancellation)).Ready);
        Assert.False((await client.ModelReadyAsync(new ModelReadyRequest { Name = ModelName, Version = "7" }, cancellationToken: Cancellation)).Ready);
        Assert.False((await client.ModelReadyAsync(new ModelReadyRequest { Name = "no-such-model" }, cancellationToken: Cancellation)).Ready);
        Assert.Equal("creditrisk-scoring", (await client.ServerMetadataAsync(new ServerMetadataRequest(), cancellationToken: Cancellation)).Name);
    }

    [Fact]
    public async Task Model_metadata_lists_one_tensor_per_signature_input_and_the_probability_output()
    {
        var metadata = await Client(TestApiKeys.Reader).ModelMetadataAsync(new ModelMetadataRequest { Name = ModelName }, cancellationToken: Cancellation);

        Assert.Equal(ModelName, metadata.Name);
        Assert.Equal(["1"], metadata.Versions);
        Assert.Equal(Offline.Signature.Inputs.Select(input => input.Name), metadata.Inputs.Select(tensor => tensor.Name));
        Assert.All(metadata.Inputs.Zip(Offline.Signature.Inputs), pair =>
        {
            var expected = pair.Second.Kind == ColumnKind.Categorical ? "BYTES" : pair.Second.Type is "int64" or "bool" ? "INT64" : "FP64";
            Assert.Equal(expected, pair.First.Datatype);
            Assert.Equal([-1L, 1L], pair.First.Shape);
        });
        Assert.Contains(metadata.Inputs, tensor => tensor.Datatype == "BYTES");
        Assert.Contains(metadata.Inputs, tensor => tensor.Datatype == "INT64");
        var output = Assert.Single(metadata.Outputs);
        Assert.Equal(("default_probability", "FP64"), (output.Name, output.Datatype));
    }

    [Fact]
    public async Task ModelInfer_with_contents_scores_a_batch_as_the_offline_model_does()
    {
        var rows = SampleRows(3);
        var request = ContentsRequest(rows);
        request.Id = "infer-1";

        var response = await Client().ModelInferAsync(request, cancellationToken: Cancellation);

        Assert.Equal((ModelName, "1", "infer-1"), (response.ModelName, response.ModelVersion, response.Id));
        var output = Assert.Single(response.Outputs);
        Assert.Equal(("default_probability", "FP64"), (output.Name, output.Datatype));
        Assert.Equal([3L, 1L], output.Shape);
        Assert.Equal(rows.Select(Offline.Score), output.Contents.Fp64Contents, new ToleranceComparer(1e-12));
    }

    [Fact]
    public async Task ModelInfer_with_raw_contents_answers_raw_and_equals_contents()
    {
        var rows = SampleRows(2);
        var request = new ModelInferRequest { ModelName = ModelName, ModelVersion = "1" };
        foreach (var input in Offline.Signature.Inputs)
        {
            var datatype = input.Kind == ColumnKind.Categorical ? "BYTES" : "FP64";
            request.Inputs.Add(new InputTensor { Name = input.Name, Datatype = datatype, Shape = { rows.Length } });
            request.RawInputContents.Add(Raw(datatype, rows.Select(row => row[input.Name])));
        }

        var response = await Client().ModelInferAsync(request, cancellationToken: Cancellation);

        Assert.Null(response.Outputs[0].Contents);
        var raw = Assert.Single(response.RawOutputContents).ToByteArray();
        var probabilities = Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8))).ToArray();
        Assert.Equal(rows.Select(Offline.Score), probabilities, new ToleranceComparer(1e-12));
    }

    [Fact]
    public async Task Fp32_and_int64_tensors_are_accepted_for_numeric_inputs()
    {
        var rows = SampleRows(2);
        var request = ContentsRequest(rows);
        foreach (var tensor in request.Inputs.Where(tensor => tensor.Datatype == "INT64").Take(1))
        {
            Assert.NotEmpty(tensor.Contents.Int64Contents);
        }
        // Every FP64 tensor sent as FP32 instead: the model sees the single-precision values.
        var asFloat = rows.Select(row => row.ToDictionary(pair => pair.Key, pair => pair.Value is double number ? (object?)(double)(float)number : pair.Value)).ToArray();
        foreach (var tensor in request.Inputs.Where(tensor => tensor.Datatype == "FP64"))
        {
            var values = tensor.Contents.Fp64Contents.Select(value => (float)value).ToArray();
            tensor.Datatype = "FP32";
            tensor.Contents = new InferTensorContents { Fp32Contents = { values } };
        }

        var response = await Client().ModelInferAsync(request, cancellationToken: Cancellation);

        Assert.Equal(asFloat.Select(Offline.Score), response.Outputs[0].Contents.Fp64Contents, new ToleranceComparer(1e-12));
    }

    [Fact]
    public async Task A_category_the_model_never_saw_is_scored_as_unseen_not_refused()
    {
        var categorical = Offline.Signature.Inputs.First(input => input.Kind == ColumnKind.Categorical).Name;
        var rows = SampleRows(1);
        rows[0][categorical] = "a-value-never-seen";

        var response = await Client().ModelInferAsync(ContentsRequest(rows), cancellationToken: Cancellation);

        Assert.Equal(Offline.Score(rows[0]), response.Outputs[0].Contents.Fp64Contents[0], 12);
    }

    [Fact]
    public async Task A_missing_input_is_invalid_argument_naming_the_tensor()
    {
        var request = ContentsRequest(SampleRows(1));
        var removed = request.Inputs[2];
        request.Inputs.RemoveAt(2);

        var violation = Assert.Single(await RefusedAsync(request));

        Assert.Equal($"inputs[{removed.Name}]", violation.Field);
        Assert.Contains("missing", violation.Description);
    }

    [Fact]
    public async Task A_wrong_datatype_is_invalid_argument_naming_the_tensor()
    {
        var request = ContentsRequest(SampleRows(1));
        var categorical = request.Inputs.First(tensor => tensor.Datatype == "BYTES");
        categorical.Datatype = "FP64";
        categorical.Contents = new InferTensorContents { Fp64Contents = { 1.0 } };
        var numeric = request.Inputs.First(tensor => tensor.Datatype == "FP64" && tensor != categorical);
        numeric.Datatype = "BOOL";

        var violations = await RefusedAsync(request);

        Assert.Equal(new[] { $"inputs[{categorical.Name}]", $"inputs[{numeric.Name}]" }.Order(), violations.Select(v => v.Field).Order());
        Assert.All(violations, violation => Assert.Contains("datatype", violation.Description));
    }

    [Theory]
    [InlineData(new long[] { 1, 2 })]
    [InlineData(new long[] { 1, 1, 1 })]
    [InlineData(new long[] { })]
    public async Task A_wrong_shape_is_invalid_argument_naming_the_tensor(long[] shape)
    {
        var request = ContentsRequest(SampleRows(1));
        var tensor = request.Inputs[0];
        tensor.Shape.Clear();
        tensor.Shape.Add(shape);

        var violation = Assert.Single(await RefusedAsync(request));

        Assert.Equal($"inputs[{tensor.Name}]", violation.Field);
        Assert.Contains("shape", violation.Description);
    }

    [Fact]
    public async Task Contents_that_do_not_hold_the_batch_and_unknown_or_unequal_tensors_are_named()
    {
        var request = ContentsRequest(SampleRows(2));
        request.Inputs[0].Contents.Fp64Contents.RemoveAt(0);
        request.Inputs[0].Contents.Int64Contents.Clear();
        request.Inputs[0].Contents.BytesContents.Clear();
        var short1 = request.Inputs[0].Name;

        var violation = Assert.Single(await RefusedAsync(request));
        Assert.Equal($"inputs[{short1}]", violation.Field);
        Assert.Contains("for a batch of 2", violation.Description);

        var unknown = ContentsRequest(SampleRows(1));
        unknown.Inputs.Add(new InputTensor { Name = "not_an_input", Datatype = "FP64", Shape = { 1 }, Contents = new InferTensorContents { Fp64Contents = { 1 } } });
        Assert.Equal("inputs[not_an_input]", Assert.Single(await RefusedAsync(unknown)).Field);

        var unequal = ContentsRequest(SampleRows(2));
        unequal.Inputs[1].Shape[0] = 3;
        Assert.Equal($"inputs[{unequal.Inputs[1].Name}]", Assert.Single(await RefusedAsync(unequal)).Field);

        var truncated = ContentsRequest(SampleRows(1));
        truncated.Inputs.Clear();
        foreach (var input in Offline.Signature.Inputs)
        {
            truncated.Inputs.Add(new InputTensor { Name = input.Name, Datatype = input.Kind == ColumnKind.Categorical ? "BYTES" : "FP64", Shape = { 1 } });
            truncated.RawInputContents.Add(ByteString.CopyFrom(new byte[input.Kind == ColumnKind.Categorical ? 4 : 5]));
        }
        var rawViolations = await RefusedAsync(truncated);
        Assert.Contains(rawViolations, v => v.Description.Contains("whole number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_models_and_versions_are_not_found_and_infer_needs_the_writer_role()
    {
        var request = ContentsRequest(SampleRows(1));

        request.ModelName = "no-such-model";
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Client().ModelInferAsync(request, cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        request.ModelName = ModelName;
        request.ModelVersion = "9";
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Client().ModelInferAsync(request, cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        request.ModelVersion = "one";
        Assert.Equal("model_version", Assert.Single(await RefusedAsync(request)).Field);
        request.ModelVersion = "";

        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => Client(TestApiKeys.Reader).ModelInferAsync(request, cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => Client(null).ModelInferAsync(request, cancellationToken: Cancellation).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => Client(null).ServerReadyAsync(new ServerReadyRequest(), cancellationToken: Cancellation).ResponseAsync)).StatusCode);
    }

    private async Task<IReadOnlyList<Google.Rpc.BadRequest.Types.FieldViolation>> RefusedAsync(ModelInferRequest request)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client().ModelInferAsync(request, cancellationToken: Cancellation).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        return FieldViolations.Of(refused);
    }

    private Dictionary<string, object?>[] SampleRows(int count) => TestModels.SampleInputs(Offline, count);

    /// <summary>One tensor per input in the datatype metadata advertises, values in typed contents; a missing value is NaN or empty text.</summary>
    private ModelInferRequest ContentsRequest(IReadOnlyList<Dictionary<string, object?>> rows)
    {
        var request = new ModelInferRequest { ModelName = ModelName };
        foreach (var input in Offline.Signature.Inputs)
        {
            var values = rows.Select(row => row[input.Name]).ToList();
            var tensor = new InputTensor { Name = input.Name, Shape = { rows.Count, 1 }, Contents = new InferTensorContents() };
            if (input.Kind == ColumnKind.Categorical)
            {
                tensor.Datatype = "BYTES";
                tensor.Contents.BytesContents.Add(values.Select(value => ByteString.CopyFromUtf8(value as string ?? "")));
            }
            else if (input.Type is "int64" or "bool" && values.All(value => value is not double number || number == Math.Floor(number)))
            {
                // INT64 has no missing value: such a tensor carries only known integers.
                if (values.Any(value => value is null))
                {
                    tensor.Datatype = "FP64";
                    tensor.Contents.Fp64Contents.Add(values.Select(value => value as double? ?? double.NaN));
                }
                else
                {
                    tensor.Datatype = "INT64";
                    tensor.Contents.Int64Contents.Add(values.Select(value => (long)(double)value!));
                }
            }
            else
            {
                tensor.Datatype = "FP64";
                tensor.Contents.Fp64Contents.Add(values.Select(value => value as double? ?? double.NaN));
            }
            request.Inputs.Add(tensor);
        }
        return request;
    }

    private static ByteString Raw(string datatype, IEnumerable<object?> values)
    {
        using var buffer = new MemoryStream();
        Span<byte> element = stackalloc byte[8];
        foreach (var value in values)
        {
            if (datatype == "BYTES")
            {
                var text = Encoding.UTF8.GetBytes(value as string ?? "");
                BinaryPrimitives.WriteInt32LittleEndian(element, text.Length);
                buffer.Write(element[..4]);
                buffer.Write(text);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(element, value as double? ?? double.NaN);
                buffer.Write(element);
            }
        }
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
