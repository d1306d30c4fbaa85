using CreditRisk.Contracts.Rpc;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;

namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>
/// Authorises every gRPC call by its "x-api-key" metadata against the <see cref="RequiresRoleAttribute"/> of the method
/// called. The health and reflection services stay open, since probes and tools carry no key.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyAuthorizer authorizer) : Interceptor
{
    private static readonly string[] OpenServices = ["/grpc.health.v1.Health/", "/grpc.reflection."];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (OpenServices.Any(prefix => context.Method.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return;
        }
        var http = context.GetHttpContext();
        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiresRoleAttribute>()?.Role;
        var caller = authorizer.Authorize(context.RequestHeaders.GetValue(ApiKeyMetadata.HeaderName), required, context.Method);
        ApiKeyCaller.Set(http, caller);
    }
}
