using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Validation;
using Grpc.Core;

namespace CreditRisk.Registry.Rest;

/// <summary>
/// Refusals over REST: the HTTP status closest to the gRPC one, and a JSON body naming both, with the field
/// violations of an INVALID_ARGUMENT.
/// </summary>
internal static class RestErrors
{
    public static IResult ToResult(RegistryException exception) => ToResult(exception.Code, exception.Message, []);

    public static IResult ToResult(RpcException exception) =>
        ToResult(exception.StatusCode, exception.Status.Detail, FieldViolations.Of(exception).Select(violation => new FieldViolationJson(violation.Field, violation.Description)).ToList());

    private static IResult ToResult(StatusCode code, string message, IReadOnlyList<FieldViolationJson> fieldViolations) =>
        Results.Json(
            new ErrorJson(code.ToString(), (int)code, message, fieldViolations),
            statusCode: code switch
            {
                StatusCode.InvalidArgument or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
                StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
                StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                StatusCode.NotFound => StatusCodes.Status404NotFound,
                StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
                StatusCode.FailedPrecondition => StatusCodes.Status412PreconditionFailed,
                StatusCode.ResourceExhausted => StatusCodes.Status413PayloadTooLarge,
                StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
                _ => StatusCodes.Status500InternalServerError,
            });

    private sealed record ErrorJson(string Code, int GrpcCode, string Message, IReadOnlyList<FieldViolationJson> FieldViolations);

    private sealed record FieldViolationJson(string Field, string Description);
}
