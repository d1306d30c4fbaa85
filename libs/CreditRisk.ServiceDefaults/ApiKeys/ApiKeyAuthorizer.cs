using System.Diagnostics.Metrics;
using CreditRisk.Contracts.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>The one place that decides whether a key may call an operation, for gRPC and REST alike.</summary>
public sealed class ApiKeyAuthorizer(ApiKeyDirectory keys, ILogger<ApiKeyAuthorizer> logger)
{
    private static readonly Meter Meter = new(CreditRiskTelemetry.NamePrefix + "ApiKeys");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        "creditrisk.api_keys.refused", description: "Calls refused for a missing or unknown API key or a missing role");

    /// <summary>
    /// Returns the caller, or throws UNAUTHENTICATED (no or unknown key) or PERMISSION_DENIED (a missing role, or an
    /// operation that declares no role: denied by default).
    /// </summary>
    /// <param name="operation">What is called, e.g. "/creditrisk.registry.v1.RegistryService/GetRun" or "GetRun".</param>
    public ApiKeyPrincipal Authorize(string? apiKey, ApiRole? required, string operation)
    {
        var caller = keys.Authenticate(apiKey);
        if (caller is null)
        {
            throw Refuse(StatusCode.Unauthenticated, operation, "anonymous",
                string.IsNullOrEmpty(apiKey) ? $"an API key is required in the '{ApiKeyMetadata.HeaderName}' header" : "unknown API key");
        }
        var name = operation[(operation.LastIndexOf('/') + 1)..];
        if (required is not { } role)
        {
            throw Refuse(StatusCode.PermissionDenied, operation, caller.Name, $"{name} is not open to API keys");
        }
        if (!caller.Has(role))
        {
            throw Refuse(StatusCode.PermissionDenied, operation, caller.Name,
                $"API key '{caller.Name}' lacks the {role.ToString().ToLowerInvariant()} role that {name} needs");
        }
        return caller;
    }

    private RpcException Refuse(StatusCode code, string operation, string caller, string reason)
    {
        Refused.Add(1, new KeyValuePair<string, object?>("rpc.grpc.status_code", code.ToString()),
            new KeyValuePair<string, object?>("operation", operation));
        logger.LogInformation("Refused {Operation} for {Caller}: {Reason}", operation, caller, reason);
        return new RpcException(new Status(code, reason));
    }
}
