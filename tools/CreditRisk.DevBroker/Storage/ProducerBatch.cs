namespace CreditRisk.DevBroker.Storage;

/// <summary>Sequence range and placement of one appended idempotent batch, kept to recognise retries.</summary>
internal readonly record struct ProducerBatch(int FirstSequence, int LastSequence, long BaseOffset);
