using Grpc.Core;

namespace CreditRisk.Registry.Validation;

/// <summary>
/// A refusal the caller can act on, with the gRPC status that says why (mapped to HTTP for REST). Bad fields are refused
/// with <see cref="CreditRisk.Contracts.Rpc.FieldViolations"/> instead (INVALID_ARGUMENT carrying a google.rpc.BadRequest).
/// </summary>
public sealed class RegistryException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public RpcException ToRpcException() => new(new Status(Code, Message));

    public static RegistryException NotFound(string message) => new(StatusCode.NotFound, message);

    public static RegistryException AlreadyExists(string message) => new(StatusCode.AlreadyExists, message);

    public static RegistryException FailedPrecondition(string message) => new(StatusCode.FailedPrecondition, message);
}
