using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;
using Npgsql;

namespace CreditRisk.Messaging.TestConsumer;

/// <summary>
/// Records every delivery, and applies the effect once per event id: the pattern services use to turn
/// at-least-once delivery into an effect that happens once.
/// </summary>
public sealed class IdempotentTransactionHandler(NpgsqlDataSource database) : IEventHandler<TransactionRecorded>
{
    public async Task HandleAsync(TransactionRecorded @event, EventContext context, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO deliveries (event_id, kafka_offset) VALUES ($1, $2)")
                {
                    Parameters = { new() { Value = @event.Envelope.EventId }, new() { Value = context.Offset } },
                },
                new NpgsqlBatchCommand("INSERT INTO effects (event_id, amount) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING")
                {
                    Parameters = { new() { Value = @event.Envelope.EventId }, new() { Value = @event.Amount } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
