using System.Net.Sockets;
using Grpc.Core;
using Npgsql;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// Which step failures a retry may fix: an unreachable or overloaded dependency, a timeout, a dropped connection.
/// Everything else (a refusal such as INVALID_ARGUMENT, <see cref="PipelineStepFailedException"/>, a bug) fails the
/// run at once, since repeating the same call gives the same answer.
/// </summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        PipelineStepFailedException => false,
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
            or StatusCode.Aborted or StatusCode.Internal,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException or IOException or HttpRequestException or SocketException => true,
        // Not the step's own token (the caller checks that): a timeout inside the step, e.g. HttpClient's.
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };
}
