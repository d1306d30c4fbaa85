using CreditRisk.Contracts.Rpc;
using CreditRisk.ServiceDefaults.Http;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>API keys on REST endpoints: the same header, roles and refusals as gRPC, as 401/403 with a JSON body.</summary>
public static class ApiKeyEndpointExtensions
{
    /// <summary>Refuses a call to the endpoint unless its "x-api-key" has <paramref name="role"/>.</summary>
    public static TBuilder RequireApiRole<TBuilder>(this TBuilder builder, ApiRole role, string operation) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                Authorize(context.HttpContext, role, operation);
            }
            catch (RpcException refusal)
            {
                return RpcStatusResults.ToResult(refusal);
            }
            return await next(context);
        });

    /// <summary>
    /// Authorises a REST call by its "x-api-key" header (for an endpoint that serves several operations) and remembers
    /// the caller for <see cref="ApiKeyCaller"/>; throws the refusal as an <see cref="RpcException"/>.
    /// </summary>
    public static ApiKeyPrincipal Authorize(HttpContext http, ApiRole? required, string operation)
    {
        var key = http.Request.Headers.TryGetValue(ApiKeyMetadata.HeaderName, out var value) ? value.ToString() : null;
        var caller = http.RequestServices.GetRequiredService<ApiKeyAuthorizer>().Authorize(key, required, operation);
        ApiKeyCaller.Set(http, caller);
        return caller;
    }
}
