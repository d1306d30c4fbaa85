using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace CreditRisk.ServiceDefaults.Http;

/// <summary>A REST route over a gRPC application service: its response as Protobuf JSON, its refusal as <see cref="RpcStatusResults"/>.</summary>
public static class ProtobufJsonResults
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static async Task<IResult> RespondAsync(Func<Task<IMessage>> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            return Results.Text(Formatter.Format(await handle()), "application/json");
        }
        catch (RpcException refusal)
        {
            return RpcStatusResults.ToResult(refusal);
        }
    }
}
