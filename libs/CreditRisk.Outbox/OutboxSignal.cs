using CreditRisk.Messaging;

namespace CreditRisk.Outbox;

/// <summary>Wakes the relay right after a commit that wrote to the outbox, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal : WakeSignal;
