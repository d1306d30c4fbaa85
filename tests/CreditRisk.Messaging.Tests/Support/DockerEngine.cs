using System.Net.Sockets;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Whether a Docker engine answers here (Testcontainers needs one; the docker client alone is not enough).</summary>
public static class DockerEngine
{
    /// <summary>Null when an engine answers, else why not.</summary>
    public static string? WhyUnavailable()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host) && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return null;   // a remote engine: let Testcontainers try it and report its own error
        }
        var socketPath = string.IsNullOrEmpty(host) ? "/var/run/docker.sock" : host["unix://".Length..];
        if (!File.Exists(socketPath))
        {
            return $"no socket at {socketPath}";
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return null;
        }
        catch (SocketException exception)
        {
            return $"{socketPath} does not answer: {exception.Message}";
        }
    }
}
