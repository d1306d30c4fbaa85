using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Ingestion.Validation;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RpcBadRequest = CreditRisk.Contracts.Rpc.BadRequest;
using RpcStatus = CreditRisk.Contracts.Rpc.Status;

namespace CreditRisk.Ingestion.Grpc;

/// <summary>
/// INVALID_ARGUMENT naming every bad field: in the status detail for people and logs, and as a
/// google.rpc.BadRequest in the grpc-status-details-bin trailer for programs (the standard rich error model).
/// </summary>
public static class InvalidArgumentError
{
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    public static RpcException Create(IReadOnlyCollection<FieldViolation> violations)
    {
        var detail = ViolationList.Describe(violations);
        var badRequest = new RpcBadRequest();
        badRequest.FieldViolations.Add(violations.Select(violation => new RpcBadRequest.Types.FieldViolation
        {
            Field = violation.Field,
            Description = violation.Description,
        }));
        var status = new RpcStatus { Code = (int)StatusCode.InvalidArgument, Message = detail, Details = { Any.Pack(badRequest) } };
        var trailers = new Metadata { { StatusDetailsTrailer, status.ToByteArray() } };
        return new RpcException(new global::Grpc.Core.Status(StatusCode.InvalidArgument, detail), trailers);
    }
}
