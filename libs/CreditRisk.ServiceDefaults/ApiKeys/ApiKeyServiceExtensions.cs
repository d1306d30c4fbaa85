using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.ServiceDefaults.ApiKeys;

public static class ApiKeyServiceExtensions
{
    /// <summary>The API keys of configuration section "ApiKeys", checked on every gRPC call (<see cref="ApiKeyInterceptor"/>).</summary>
    public static IHostApplicationBuilder AddApiKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<ApiKeyDirectory>();
        builder.Services.TryAddSingleton<ApiKeyAuthorizer>();
        builder.Services.TryAddSingleton<ApiKeyInterceptor>();
        builder.Services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<ApiKeyInterceptor>());
        return builder;
    }
}
