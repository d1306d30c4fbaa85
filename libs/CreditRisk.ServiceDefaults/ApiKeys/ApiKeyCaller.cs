using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>The authorised caller of the current request, as <see cref="ApiKeyInterceptor"/> or a REST filter found it.</summary>
public static class ApiKeyCaller
{
    private static readonly object ItemKey = typeof(ApiKeyPrincipal);

    public static ApiKeyPrincipal Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var caller) && caller is ApiKeyPrincipal principal
            ? principal
            : throw new InvalidOperationException("The request was not authorised by an API key.");

    public static ApiKeyPrincipal Of(ServerCallContext context) => Of(context.GetHttpContext());

    internal static void Set(HttpContext http, ApiKeyPrincipal caller) => http.Items[ItemKey] = caller;
}
