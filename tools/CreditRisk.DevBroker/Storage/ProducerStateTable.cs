namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// Idempotent-producer bookkeeping of one partition, following Kafka's ProducerStateManager: retries of
/// one of the last five batches are recognised as duplicates, gaps are OUT_OF_ORDER_SEQUENCE_NUMBER, older
/// epochs are fenced. A producer this partition does not know (new, or its batches were deleted or are in
/// segments not scanned at start-up) may start at any sequence, as in Kafka. Guarded by the partition lock.
/// </summary>
internal sealed class ProducerStateTable
{
    private readonly Dictionary<long, ProducerState> _producers = [];

    public SequenceCheck Check(in RecordBatchHeader batch, out long duplicateBaseOffset)
    {
        duplicateBaseOffset = -1;
        if (!_producers.TryGetValue(batch.ProducerId, out var state))
        {
            return SequenceCheck.Accept;
        }
        if (batch.ProducerEpoch < state.Epoch)
        {
            return SequenceCheck.StaleEpoch;
        }
        if (batch.ProducerEpoch > state.Epoch)
        {
            // A bumped epoch restarts sequences at zero.
            return batch.BaseSequence == 0 ? SequenceCheck.Accept : SequenceCheck.OutOfOrder;
        }
        if (state.TryFindDuplicate(batch.BaseSequence, batch.LastSequence, out duplicateBaseOffset))
        {
            return SequenceCheck.Duplicate;
        }
        var expected = state.LastSequence == int.MaxValue ? 0 : state.LastSequence + 1;
        return batch.BaseSequence == expected ? SequenceCheck.Accept : SequenceCheck.OutOfOrder;
    }

    /// <summary>Remembers a batch once it is in the log (also used while replaying the log at start-up).</summary>
    public void Record(in RecordBatchHeader batch)
    {
        if (!batch.HasProducerId)
        {
            return;
        }
        if (!_producers.TryGetValue(batch.ProducerId, out var state))
        {
            state = new ProducerState(batch.ProducerEpoch);
            _producers.Add(batch.ProducerId, state);
        }
        state.Add(batch.ProducerEpoch, new ProducerBatch(batch.BaseSequence, batch.LastSequence, batch.BaseOffset));
    }

    /// <summary>Forgets every producer (all their batches were deleted).</summary>
    public void Clear() => _producers.Clear();
}
