using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditRisk.DataImport.Tests.Support;

/// <summary>A server interceptor that notes each call's x-api-key, so a test sees what the import sent.</summary>
public sealed class ApiKeyCapture(ApiKeysSeen seen) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.RequestHeaders.GetValue(GrpcImportTarget.ApiKeyHeader) is { } key)
        {
            seen.Add(key);
        }
        return continuation(request, context);
    }
}
