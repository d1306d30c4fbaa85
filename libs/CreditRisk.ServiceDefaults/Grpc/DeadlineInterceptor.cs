using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditRisk.ServiceDefaults.Grpc;

/// <summary>
/// A unary handler that stops because its call's deadline passed ends as DEADLINE_EXCEEDED rather than UNKNOWN: the
/// handlers pass the call's token to their work, which then throws OperationCanceledException.
/// </summary>
public sealed class DeadlineInterceptor(TimeProvider clock) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw context.Deadline <= clock.GetUtcNow().UtcDateTime
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed before it was answered"))
                : new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled before it was answered"));
        }
    }
}
