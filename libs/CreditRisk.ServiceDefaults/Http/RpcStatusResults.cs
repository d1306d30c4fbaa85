using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using StatusCode = Grpc.Core.StatusCode;

namespace CreditRisk.ServiceDefaults.Http;

/// <summary>
/// A gRPC refusal answered over REST: the HTTP status closest to the gRPC one, and a JSON body naming both, with the
/// field violations of an INVALID_ARGUMENT.
/// </summary>
public static class RpcStatusResults
{
    public static IResult ToResult(RpcException exception)
    {
        var violations = exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations
            .Select(violation => new FieldViolationJson(violation.Field, violation.Description)).ToList() ?? [];
        return Results.Json(
            new ErrorJson(exception.StatusCode.ToString(), (int)exception.StatusCode, exception.Status.Detail, violations),
            statusCode: ToHttpStatus(exception.StatusCode));
    }

    public static int ToHttpStatus(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.FailedPrecondition => StatusCodes.Status412PreconditionFailed,
        StatusCode.ResourceExhausted => StatusCodes.Status413PayloadTooLarge,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    private sealed record ErrorJson(string Code, int GrpcCode, string Message, IReadOnlyList<FieldViolationJson> FieldViolations);

    private sealed record FieldViolationJson(string Field, string Description);
}
