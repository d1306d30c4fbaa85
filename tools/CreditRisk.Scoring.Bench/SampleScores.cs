using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CreditRisk.Scoring.Bench;

/// <summary>The sample command: scores a few applications of credit_data over gRPC and prints each answer with its reasons.</summary>
public static class SampleScores
{
    public static async Task<int> RunAsync(string target, string? apiKey, string file, int count, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        var requests = ScoreRequests.FromFile(file, seed);
        using var channel = GrpcChannel.ForAddress(ScoringTarget.ToHttp(target));
        var client = new ScoringService.ScoringServiceClient(channel.WithApiKey(apiKey));
        for (var i = 0; i < count; i++)
        {
            var request = requests.Get(i);
            try
            {
                var response = await client.ScoreAsync(request, deadline: DateTime.UtcNow + ScoringTarget.CallDeadline, cancellationToken: cancellationToken);
                await output.WriteLineAsync(SampleFormatter.Format(request, response));
            }
            catch (RpcException failed)
            {
                await output.WriteLineAsync($"{request.CustomerId}: {failed.StatusCode} {failed.Status.Detail}");
                return 1;
            }
        }
        return 0;
    }
}
