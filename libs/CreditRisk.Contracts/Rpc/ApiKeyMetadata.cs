using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CreditRisk.Contracts.Rpc;

/// <summary>How a caller presents its API key to a CreditRisk service: the "x-api-key" metadata of every gRPC call (an HTTP header for REST).</summary>
public static class ApiKeyMetadata
{
    public const string HeaderName = "x-api-key";

    /// <summary>Calls over <paramref name="channel"/> that carry <paramref name="apiKey"/>; none is sent when it is null.</summary>
    public static CallInvoker WithApiKey(this ChannelBase channel, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.CreateCallInvoker().WithApiKey(apiKey);
    }

    /// <summary>Calls through <paramref name="calls"/> that carry <paramref name="apiKey"/> (e.g. a client factory's invoker); none is sent when it is null.</summary>
    public static CallInvoker WithApiKey(this CallInvoker calls, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return apiKey is null ? calls : calls.Intercept(metadata =>
        {
            metadata.Add(HeaderName, apiKey);
            return metadata;
        });
    }
}
