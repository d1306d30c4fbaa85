using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>
/// InitProducerId v0–4 for idempotent producers: a fresh producer id (epoch 0) from the durable allocator,
/// or, when a producer re-initialises with its id and epoch (v3+), the same id with the next epoch.
/// Transactions are not supported; a transactional id is accepted but only gets an idempotent producer id.
/// </summary>
internal sealed class InitProducerIdHandler(ProducerIdAllocator allocator) : IApiHandler
{
    public ApiKey Key => ApiKey.InitProducerId;
    public short MinVersion => 0;
    public short MaxVersion => 4;
    public short FirstFlexibleVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        _ = request.ReadNullableString(flexible); // transactional_id
        _ = request.ReadInt32(); // transaction_timeout_ms
        long producerId = -1;
        short epoch = -1;
        if (context.ApiVersion >= 3)
        {
            producerId = request.ReadInt64();
            epoch = request.ReadInt16();
        }
        request.SkipTaggedFields(flexible);

        // Bump the epoch of a known producer; a new id once the epoch would overflow, as Kafka does.
        var bump = producerId >= 0 && epoch >= 0 && epoch < short.MaxValue - 1;
        response.WriteInt32(0); // throttle_time_ms
        response.WriteInt16((short)ErrorCode.None);
        response.WriteInt64(bump ? producerId : allocator.Allocate());
        response.WriteInt16(bump ? (short)(epoch + 1) : (short)0);
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
