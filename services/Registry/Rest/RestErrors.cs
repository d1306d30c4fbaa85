using CreditRisk.Registry.Validation;
using CreditRisk.ServiceDefaults.Http;

namespace CreditRisk.Registry.Rest;

/// <summary>The registry's own refusals over REST, answered as every gRPC refusal is (<see cref="RpcStatusResults"/>).</summary>
internal static class RestErrors
{
    public static IResult ToResult(RegistryException exception) => RpcStatusResults.ToResult(exception.ToRpcException());
}
