using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using CreditRisk.Contracts.Inference;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Options;
using CreditRisk.ServiceDefaults.ApiKeys;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Inference;

/// <summary>
/// The Open Inference Protocol (KServe V2) over gRPC, so any KServe or Triton client can score the served models: the
/// caller brings the feature vector as named tensors, one per model input, and gets "default_probability" back. No
/// feature-store read, routing, request id or prediction log: this scores exactly the given rows with the named model
/// version. Inference needs the writer role, as Score does; readiness and metadata need any key.
/// </summary>
public sealed class InferenceGrpcService(ServedModels served, IOptions<ScoringOptions> options) : GRPCInferenceService.GRPCInferenceServiceBase
{
    private static readonly string ServerVersion =
        typeof(InferenceGrpcService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    [RequiresRole(ApiRole.Reader)]
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    /// <summary>Ready once every served model has a loaded version, as the readiness check says.</summary>
    [RequiresRole(ApiRole.Reader)]
    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = options.Value.ServedModels().All(name => served.Find(name) is not null) });

    [RequiresRole(ApiRole.Reader)]
    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelReadyResponse { Ready = served.Find(request.Name, Version(request.Version)) is not null });

    [RequiresRole(ApiRole.Reader)]
    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse { Name = "creditrisk-scoring", Version = ServerVersion });

    [RequiresRole(ApiRole.Reader)]
    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        var model = Resolve(request.Name, request.Version);
        var response = new ModelMetadataResponse
        {
            Name = model.Name,
            Platform = "mlnet",
            Versions = { served.StateOf(model.Name)!.Arms.Select(arm => arm.Model.Version).Distinct().Order().Select(version => version.ToString(CultureInfo.InvariantCulture)) },
        };
        response.Inputs.Add(model.Features.Inputs.Select(input => Tensor(input.Name, InferenceDatatypes.Of(input))));
        response.Outputs.Add(Tensor(InferenceDatatypes.ProbabilityOutput, InferenceDatatypes.Fp64));
        return Task.FromResult(response);
    }

    [RequiresRole(ApiRole.Writer)]
    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var model = Resolve(request.ModelName, request.ModelVersion);
        for (var i = 0; i < request.Outputs.Count; i++)
        {
            if (request.Outputs[i].Name != InferenceDatatypes.ProbabilityOutput)
            {
                throw FieldViolations.Single($"outputs[{request.Outputs[i].Name}]", $"the model's only output is '{InferenceDatatypes.ProbabilityOutput}'");
            }
        }
        var rows = InferenceInputDecoder.Decode(request, model);
        context.CancellationToken.ThrowIfCancellationRequested();
        var probabilities = model.ScoreVectors(rows);

        var output = new ModelInferResponse.Types.InferOutputTensor
        {
            Name = InferenceDatatypes.ProbabilityOutput,
            Datatype = InferenceDatatypes.Fp64,
            Shape = { probabilities.Length, 1 },
        };
        var response = new ModelInferResponse
        {
            ModelName = model.Name,
            ModelVersion = model.Version.ToString(CultureInfo.InvariantCulture),
            Id = request.Id,
            Outputs = { output },
        };
        // Answer in the form asked: a client that sent raw contents reads raw outputs.
        if (request.RawInputContents.Count > 0)
        {
            var raw = new byte[probabilities.Length * sizeof(double)];
            for (var i = 0; i < probabilities.Length; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * sizeof(double)), probabilities[i]);
            }
            response.RawOutputContents.Add(ByteString.CopyFrom(raw));
        }
        else
        {
            output.Contents = new InferTensorContents { Fp64Contents = { probabilities } };
        }
        return Task.FromResult(response);
    }

    private LoadedModel Resolve(string name, string version)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw FieldViolations.Single("model_name", "the model name is required");
        }
        var wanted = Version(version) ?? (string.IsNullOrEmpty(version) ? null
            : throw FieldViolations.Single("model_version", $"'{version}' is not a model version (a positive integer, or empty for the served one)"));
        if (served.Find(name, wanted) is { } model)
        {
            return model;
        }
        var names = options.Value.ServedModels();
        if (!names.Contains(name))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"model '{name}' is not served here (served: {string.Join(", ", names)})"));
        }
        throw served.StateOf(name) is null
            ? new RpcException(new Status(StatusCode.Unavailable, $"no version of model '{name}' is loaded yet; retry shortly"))
            : new RpcException(new Status(StatusCode.NotFound, $"version {wanted} of model '{name}' is not served here"));
    }

    private static int? Version(string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : null;

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(string name, string datatype) =>
        new() { Name = name, Datatype = datatype, Shape = { InferenceDatatypes.ColumnShape } };
}
