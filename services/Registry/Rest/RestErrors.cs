using CreditRisk.Registry.Validation;
using Grpc.Core;

namespace CreditRisk.Registry.Rest;

/// <summary>Refusals over REST: the HTTP status closest to the gRPC one, and a JSON body naming both.</summary>
internal static class RestErrors
{
    public static IResult ToResult(RegistryException exception) =>
        Results.Json(
            new { code = exception.Code.ToString(), grpcCode = (int)exception.Code, message = exception.Message },
            statusCode: exception.Code switch
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
}
