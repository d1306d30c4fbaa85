using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace CreditRisk.ServiceDefaults.Http;

/// <summary>A gRPC refusal answered over REST: the HTTP status closest to the gRPC one, and a JSON body naming both.</summary>
public static class RpcStatusResults
{
    public static IResult ToResult(RpcException exception) =>
        Results.Json(
            new { code = exception.StatusCode.ToString(), grpcCode = (int)exception.StatusCode, message = exception.Status.Detail },
            statusCode: ToHttpStatus(exception.StatusCode));

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
}
