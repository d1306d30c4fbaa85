namespace CreditRisk.DevBroker.Storage;

/// <summary>What one partition remembers of one idempotent producer: its epoch and its last few batches.</summary>
internal sealed class ProducerState(short epoch)
{
    /// <summary>Kafka keeps the last five batches, matching max.in.flight.requests.per.connection ≤ 5.</summary>
    public const int RememberedBatches = 5;

    private readonly ProducerBatch[] _batches = new ProducerBatch[RememberedBatches];
    private int _count;
    private int _next;

    public short Epoch { get; private set; } = epoch;

    public int LastSequence => _count == 0 ? -1 : _batches[(_next + RememberedBatches - 1) % RememberedBatches].LastSequence;

    public bool TryFindDuplicate(int firstSequence, int lastSequence, out long baseOffset)
    {
        for (var i = 0; i < _count; i++)
        {
            var batch = _batches[i];
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                baseOffset = batch.BaseOffset;
                return true;
            }
        }
        baseOffset = -1;
        return false;
    }

    public void Add(short epoch, ProducerBatch batch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _count = 0;
            _next = 0;
        }
        _batches[_next] = batch;
        _next = (_next + 1) % RememberedBatches;
        _count = Math.Min(_count + 1, RememberedBatches);
    }
}
