using System.Net.Sockets;
using CreditRisk.DevBroker.Handlers;
using CreditRisk.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Network;

/// <summary>
/// One client connection. Requests are handled one at a time in arrival order, so responses go out in
/// request order as Kafka guarantees (clients may pipeline; later requests simply wait in the socket).
/// Any protocol violation or handler failure closes only this connection.
/// </summary>
internal sealed class ClientConnection(Socket socket, string connectionId, ApiHandlerRegistry handlers, BrokerOptions options, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var remote = socket.RemoteEndPoint;
        logger.LogInformation("Connection {ConnectionId} opened from {Remote}", connectionId, remote);
        using var frames = new FrameReader(socket, options.MaxRequestBytes);
        try
        {
            while (await frames.ReadFrameAsync(cancellationToken) is { } frame)
            {
                if (!await HandleRequestAsync(frame, remote, cancellationToken))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Broker stopping.
        }
        catch (MalformedRequestException e)
        {
            logger.LogWarning("Connection {ConnectionId}: malformed request ({Reason}); closing", connectionId, e.Message);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            logger.LogDebug("Connection {ConnectionId}: {Reason}", connectionId, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Connection {ConnectionId}: request failed; closing", connectionId);
        }
        finally
        {
            socket.Dispose();
            logger.LogInformation("Connection {ConnectionId} from {Remote} closed", connectionId, remote);
        }
    }

    /// <summary>Parses the header, dispatches, sends the response; false closes the connection.</summary>
    private async ValueTask<bool> HandleRequestAsync(Memory<byte> frame, System.Net.EndPoint? remote, CancellationToken cancellationToken)
    {
        var request = new KafkaReader(frame);
        var apiKey = request.ReadInt16();
        var apiVersion = request.ReadInt16();
        var correlationId = request.ReadInt32();
        // The client id is a classic nullable string even in the flexible (v2) request header.
        var clientId = request.ReadNullableString(flexible: false);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // Guarded: this runs for every request and the arguments would be boxed even when not logged.
            logger.LogDebug("Connection {ConnectionId}: {ApiKey} v{ApiVersion} client {ClientId} correlation {CorrelationId}",
                connectionId, (ApiKey)apiKey, apiVersion, clientId, correlationId);
        }

        using var response = new KafkaWriter();
        var sizePosition = response.ReserveInt32();
        response.WriteInt32(correlationId);

        var handler = handlers.Find(apiKey);
        if (handler is null || apiVersion < handler.MinVersion || apiVersion > handler.MaxVersion)
        {
            if (handler is ApiVersionsHandler apiVersions)
            {
                // Clients probe with their newest ApiVersions; answer in the v0 layout with our ranges.
                apiVersions.WriteUnsupportedVersion(response);
                await SendAsync(response, sizePosition, cancellationToken);
                return true;
            }
            logger.LogWarning("Connection {ConnectionId}: unsupported API {ApiKey} v{ApiVersion} from client {ClientId}; closing as Kafka does",
                connectionId, (ApiKey)apiKey, apiVersion, clientId);
            return false;
        }

        var flexible = apiVersion >= handler.FirstFlexibleVersion;
        request.SkipTaggedFields(flexible);
        // Response header v1 (tagged fields) for flexible versions, except ApiVersions which always uses v0.
        if (flexible && handler.Key != ApiKey.ApiVersions)
        {
            response.WriteEmptyTaggedFields();
        }
        var context = new RequestContext((ApiKey)apiKey, apiVersion, correlationId, clientId, connectionId, remote);
        if (await handler.HandleAsync(context, request, response, cancellationToken))
        {
            await SendAsync(response, sizePosition, cancellationToken);
        }
        return true;
    }

    private async ValueTask SendAsync(KafkaWriter response, int sizePosition, CancellationToken cancellationToken)
    {
        response.PatchInt32(sizePosition, response.Length - sizePosition - sizeof(int));
        var pending = response.WrittenMemory;
        while (!pending.IsEmpty)
        {
            var sent = await socket.SendAsync(pending, SocketFlags.None, cancellationToken);
            pending = pending[sent..];
        }
    }
}
