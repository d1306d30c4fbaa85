using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Outbox;

/// <summary>
/// Writes an event into the service's outbox inside the caller's transaction: it commits with the change or not at
/// all. The relay publishes it afterwards, to the catalogue's topic for its type.
/// </summary>
public sealed class OutboxWriter(IOptions<OutboxOptions> options)
{
    private readonly string _insert =
        $"INSERT INTO {new OutboxTable(options.Value.Table).Name} (event_id, event_type, topic, entity_key, payload, created_time) VALUES ($1, $2, $3, $4, $5, $6)";

    public async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IIntegrationEvent @event,
        DateTime createdTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var topic = TopicCatalogue.For(@event.Descriptor).Name;
        await using var command = new NpgsqlCommand(_insert, connection, transaction);
        command.Parameters.Add(new() { Value = Guid.Parse(@event.Envelope.EventId) });
        command.Parameters.Add(new() { Value = @event.Descriptor.FullName });
        command.Parameters.Add(new() { Value = topic });
        command.Parameters.Add(new() { Value = @event.Envelope.EntityKey });
        command.Parameters.Add(new() { Value = @event.ToByteArray() });
        command.Parameters.Add(new() { Value = createdTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
