namespace CreditRisk.ServiceDefaults.Clients;

/// <summary>Where another CreditRisk service answers gRPC and the key this service calls it with (section <c>Services:&lt;Name&gt;</c>).</summary>
public sealed class ServiceClientOptions
{
    /// <summary>The service's gRPC (HTTP/2) address, e.g. <c>http://127.0.0.1:5031</c>.</summary>
    public string? Address { get; set; }

    /// <summary>The API key sent as <c>x-api-key</c>; empty sends none. Set through the environment, never in the repo.</summary>
    public string? ApiKey { get; set; }
}
