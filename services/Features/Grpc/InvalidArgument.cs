using Grpc.Core;

namespace CreditRisk.Features.Grpc;

/// <summary>Fails a request once with INVALID_ARGUMENT naming each bad field ("rows[2].keys[0].id: required; ...").</summary>
public static class InvalidArgument
{
    public static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join("; ", problems)));
        }
    }
}
