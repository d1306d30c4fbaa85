using System.Globalization;
using CreditRisk.Benchmarking;

namespace CreditRisk.Testing.Hosting;

/// <summary>
/// A service's two Kestrel endpoints on free loopback ports: "Http" (HTTP/1.1: health, metrics, REST) and "Grpc" (h2c).
/// Every service's appsettings.json names its endpoints so, and sets their protocols; these settings move only the URLs.
/// </summary>
public sealed record LoopbackEndpoints(Uri Http, Uri Grpc)
{
    public static LoopbackEndpoints Free() => new(OnPort(FreePort.Next()), OnPort(FreePort.Next()));

    /// <summary>The configuration that puts the endpoints here, as "Section:Key" names.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Kestrel:Endpoints:Http:Url"] = Http.GetLeftPart(UriPartial.Authority),
        ["Kestrel:Endpoints:Grpc:Url"] = Grpc.GetLeftPart(UriPartial.Authority),
    };

    private static Uri OnPort(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
}
