using CreditRisk.Registry.Validation;
using Grpc.Core;

namespace CreditRisk.Registry.Security;

/// <summary>The one place that decides whether a key may call a method, for gRPC and REST alike.</summary>
public static class CallerAuthorization
{
    /// <summary>Returns the caller, or throws UNAUTHENTICATED (no or unknown key) / PERMISSION_DENIED (missing role).</summary>
    public static ApiKeyPrincipal Authorize(ApiKeyDirectory keys, string? apiKey, string method)
    {
        var principal = keys.Authenticate(apiKey)
            ?? throw new RegistryException(StatusCode.Unauthenticated,
                string.IsNullOrEmpty(apiKey) ? $"an API key is required in the '{ApiKeyDirectory.HeaderName}' header" : "unknown API key");
        var required = RegistryMethodRoles.For(method)
            ?? throw new RegistryException(StatusCode.PermissionDenied, $"{method} is not open to API keys");
        if (!principal.Has(required))
        {
            throw new RegistryException(StatusCode.PermissionDenied,
                $"API key '{principal.Name}' lacks the {required.ToString().ToLowerInvariant()} role that {method[(method.LastIndexOf('/') + 1)..]} needs");
        }
        return principal;
    }
}
