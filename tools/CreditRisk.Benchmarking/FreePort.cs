using System.Net;
using System.Net.Sockets;

namespace CreditRisk.Benchmarking;

/// <summary>Loopback ports nothing listens on, for a server that must be told its port before it starts.</summary>
public static class FreePort
{
    /// <summary>A port the operating system just handed out and took back; another process may take it first, rarely.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
