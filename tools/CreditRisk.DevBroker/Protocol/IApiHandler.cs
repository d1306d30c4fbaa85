namespace CreditRisk.DevBroker.Protocol;

/// <summary>
/// One Kafka API (one api_key). The server parses the request header, checks the version range,
/// writes the response header and then calls <see cref="HandleAsync"/> with the body reader and a
/// writer positioned at the start of the response body.
/// </summary>
public interface IApiHandler
{
    ApiKey Key { get; }

    /// <summary>Lowest version implemented (advertised in ApiVersions).</summary>
    short MinVersion { get; }

    /// <summary>Highest version implemented (advertised in ApiVersions).</summary>
    short MaxVersion { get; }

    /// <summary>First flexible version per the message schema ("flexibleVersions": "N+"); short.MaxValue if none.</summary>
    short FirstFlexibleVersion { get; }

    /// <summary>
    /// Writes the response body. Returning false means "send no response" (Produce with acks=0).
    /// Throw <see cref="MalformedRequestException"/> for an unparsable body.
    /// </summary>
    ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken);
}
