namespace CreditRisk.DevBroker.Storage;

/// <summary>Verdict on an idempotent batch before it is appended.</summary>
internal enum SequenceCheck
{
    Accept,

    /// <summary>A retry of a batch already in the log: acknowledge with its original offset, do not append.</summary>
    Duplicate,
    OutOfOrder,
    StaleEpoch,
}
