using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace CreditRisk.DevBroker.Tests;

/// <summary>A bare TCP connection to the broker for sending hand-made (and broken) Kafka frames.</summary>
internal sealed class RawKafkaConnection : IDisposable
{
    private readonly TcpClient client;
    private readonly NetworkStream stream;

    private RawKafkaConnection(TcpClient client)
    {
        this.client = client;
        stream = client.GetStream();
    }

    public static async Task<RawKafkaConnection> ConnectAsync(string bootstrapServers)
    {
        var separator = bootstrapServers.LastIndexOf(':');
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(bootstrapServers[..separator], int.Parse(bootstrapServers[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RawKafkaConnection(client);
    }

    public async Task SendAsync(byte[] bytes)
    {
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    /// <summary>A complete request frame: size, api key, version, correlation id, client id (v1 header) and body.</summary>
    public static byte[] RequestFrame(short apiKey, short apiVersion, int correlationId, string clientId, byte[] body)
    {
        var clientIdBytes = Encoding.UTF8.GetBytes(clientId);
        var size = 2 + 2 + 4 + 2 + clientIdBytes.Length + body.Length;
        var frame = new byte[4 + size];
        BinaryPrimitives.WriteInt32BigEndian(frame, size);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), apiKey);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), apiVersion);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), correlationId);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(12), (short)clientIdBytes.Length);
        clientIdBytes.CopyTo(frame.AsSpan(14));
        body.CopyTo(frame.AsSpan(14 + clientIdBytes.Length));
        return frame;
    }

    /// <summary>Reads one response frame (without its size prefix); null when the broker closed the connection first.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var sizeBytes = new byte[4];
        if (!await ReadExactlyOrEndAsync(sizeBytes, cancellation.Token))
        {
            return null;
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size is < 0 or > 16 * 1024 * 1024)
        {
            throw new InvalidDataException($"The broker sent a frame of {size} bytes.");
        }

        var frame = new byte[size];
        return await ReadExactlyOrEndAsync(frame, cancellation.Token) ? frame : null;
    }

    /// <summary>True when the broker closed (or reset) the connection within <paramref name="timeout"/>, reading and discarding anything it sent.</summary>
    public async Task<bool> IsClosedByBrokerWithinAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await stream.ReadAsync(buffer, cancellation.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        stream.Dispose();
        client.Dispose();
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
